// Package httpx is the one HTTP layer shared by the Drone and Galaxias
// families: retries with capped, jittered exponential backoff on top of
// go-retryablehttp, a strict rule for retrying POSTs, Retry-After support that
// never outlives the operation's context, TLS and proxy settings, and logging
// through tflog with secrets masked.
package httpx

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/go-cleanhttp"
	"github.com/hashicorp/go-retryablehttp"
)

// Defaults used when Options leaves a field zero.
const (
	defaultTimeout    = 30 * time.Second
	defaultMaxRetries = 4
	defaultWaitMin    = 250 * time.Millisecond
	defaultWaitMax    = 8 * time.Second
)

// Options configures a client built by New.
type Options struct {
	// Subsystem is the tflog subsystem the client logs to ("drone", "galaxias").
	Subsystem string
	// Version goes into the User-Agent: terraform-provider-galaxias/<Version>.
	Version string
	// Timeout bounds one attempt of one request. Zero means defaultTimeout.
	Timeout time.Duration
	// MaxRetries is the number of retries after the first attempt. Negative
	// means no retries; zero means defaultMaxRetries.
	MaxRetries int
	// WaitMin and WaitMax bound the backoff between attempts.
	WaitMin, WaitMax time.Duration
	// CACert is a PEM bundle, given inline or as the path of a file. Its
	// certificates are trusted in addition to the system pool.
	CACert string
	// InsecureSkipVerify disables TLS certificate verification.
	InsecureSkipVerify bool
	// Secrets are values (tokens, passwords) masked wherever they would be logged.
	Secrets []string
	// Permanent, when set, is asked about every HTTP answer that the rules of
	// checkRetry would retry (429, 5xx but 501). Returning true means the
	// answer is the server's deliberate, repeatable verdict on this request:
	// it is handed back at once, without retries. body holds the first
	// peekLimit bytes of the answer; the caller still reads the whole body.
	// An API client supplies the rule for its server's error bodies.
	Permanent func(status int, header http.Header, body []byte) bool
}

// peekLimit is how much of an answer's body Options.Permanent sees.
const peekLimit = 64 << 10

// userAgent returns the User-Agent header value for a provider version.
func userAgent(version string) string {
	if version == "" {
		version = "dev"
	}
	return "terraform-provider-galaxias/" + version
}

// New builds an *http.Client whose transport retries according to the rules
// of this package. The client itself has no overall timeout: the operation's
// context bounds the whole exchange, Options.Timeout bounds each attempt.
//
// When retries are exhausted on an HTTP error status, the last response is
// returned (not an error), so callers can decode the server's error body.
func New(opts Options) (*http.Client, error) {
	if opts.Timeout <= 0 {
		opts.Timeout = defaultTimeout
	}
	switch {
	case opts.MaxRetries == 0:
		opts.MaxRetries = defaultMaxRetries
	case opts.MaxRetries < 0:
		opts.MaxRetries = 0
	}
	if opts.WaitMin <= 0 {
		opts.WaitMin = defaultWaitMin
	}
	if opts.WaitMax < opts.WaitMin {
		opts.WaitMax = max(defaultWaitMax, opts.WaitMin)
	}
	if opts.Subsystem == "" {
		opts.Subsystem = "http"
	}

	tlsCfg, err := tlsConfig(opts.CACert, opts.InsecureSkipVerify)
	if err != nil {
		return nil, err
	}
	base := cleanhttp.DefaultPooledTransport() // proxy from the environment
	base.TLSClientConfig = tlsCfg
	// Terraform runs up to 10 operations at once by default; keep enough idle
	// connections so that a refresh reuses them instead of dialing again.
	base.MaxIdleConnsPerHost = 64
	base.MaxIdleConns = 128

	t := &transport{
		opts:  opts,
		base:  &http.Client{Transport: base, Timeout: opts.Timeout},
		ua:    userAgent(opts.Version),
		masks: maskForms(opts.Secrets),
	}
	return &http.Client{Transport: t}, nil
}

// tlsConfig builds the TLS settings from a CA bundle (inline PEM or a file
// path) and the insecure flag.
func tlsConfig(caCert string, insecure bool) (*tls.Config, error) {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: insecure} //nolint:gosec // opt-in, warned about by the providers
	if strings.TrimSpace(caCert) == "" {
		return cfg, nil
	}
	pem := []byte(caCert)
	if !strings.Contains(caCert, "-----BEGIN") {
		b, err := os.ReadFile(caCert)
		if err != nil {
			return nil, fmt.Errorf("reading ca_cert file: %w", err)
		}
		pem = b
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, errors.New("ca_cert holds no PEM certificate")
	}
	cfg.RootCAs = pool
	return cfg, nil
}

type transport struct {
	opts  Options
	base  *http.Client
	ua    string
	masks []string // maskForms(opts.Secrets)
}

// RoundTrip runs one logical request, with retries, logging to tflog through
// the request's own context.
func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		// A RoundTripper closes the request body, even on errors.
		body := req.Body
		defer func() { _ = body.Close() }()
	}
	ctx := withLogging(req.Context(), t.opts.Subsystem, t.masks)
	// Clone: a RoundTripper must not modify the caller's request (headers).
	req = req.Clone(ctx)
	req.Header.Set("User-Agent", t.ua)

	rreq, err := retryablehttp.FromRequest(req)
	if err != nil {
		return nil, err
	}
	rc := &retryablehttp.Client{
		HTTPClient:      t.base,
		Logger:          leveled{ctx: ctx, subsystem: t.opts.Subsystem},
		RetryWaitMin:    t.opts.WaitMin,
		RetryWaitMax:    t.opts.WaitMax,
		RetryMax:        t.opts.MaxRetries,
		CheckRetry:      checkRetry(req.Method, t.opts.Subsystem, t.opts.Permanent),
		Backoff:         backoff,
		ErrorHandler:    errorHandler(req.Method, req.URL.Redacted()),
		RequestLogHook:  requestLogHook(ctx, t.opts.Subsystem),
		ResponseLogHook: responseLogHook(ctx, t.opts.Subsystem),
	}
	return rc.Do(rreq)
}

// errorHandler runs once retries are exhausted or a retry was refused. An HTTP
// response is handed back to the caller so the server's error body is kept; a
// transport error keeps its cause and says how many attempts were made.
func errorHandler(method, url string) retryablehttp.ErrorHandler {
	return func(resp *http.Response, err error, attempts int) (*http.Response, error) {
		if err == nil {
			return resp, nil
		}
		if resp != nil {
			_ = resp.Body.Close()
		}
		if attempts <= 1 {
			return nil, err
		}
		return nil, fmt.Errorf("%w (%s %s failed after %d attempts)", err, method, url, attempts)
	}
}

// checkRetry decides whether an attempt is retried.
//
// GET, HEAD, PUT, PATCH and DELETE are retried on connection errors, 429 and
// 5xx (but 501). A POST is retried only when the server provably did not
// process it (notProcessed): the connection could not be established, or the
// server answered 429 or 503 with a Retry-After header. A Retry-After that reaches past the
// context's deadline is not waited for: the response is returned as it is.
// An answer that permanent (if not nil) declares permanent is not retried.
func checkRetry(method, subsystem string, permanent func(int, http.Header, []byte) bool) retryablehttp.CheckRetry {
	post := method == http.MethodPost
	return func(ctx context.Context, resp *http.Response, err error) (bool, error) {
		if ctx.Err() != nil {
			return false, ctx.Err()
		}
		if err != nil {
			if !retryableTransportError(err) {
				return false, err
			}
			if post && !notProcessed(nil, err) {
				return false, err
			}
			return true, nil
		}
		status := resp.StatusCode
		if status != http.StatusTooManyRequests && (status < 500 || status == http.StatusNotImplemented) {
			return false, nil
		}
		if permanent != nil && permanent(status, resp.Header, peekBody(resp)) {
			logDebug(ctx, subsystem, "not retrying: the answer is the server's permanent verdict", map[string]any{"status": status})
			return false, nil
		}
		if post && !notProcessed(resp, nil) {
			return false, nil
		}
		wait, hasRetryAfter := retryAfter(resp)
		if deadline, ok := ctx.Deadline(); ok && hasRetryAfter && time.Now().Add(wait).After(deadline) {
			logWarn(ctx, subsystem, "not retrying: Retry-After reaches past the operation's deadline",
				map[string]any{"retry_after": wait.String(), "status": status})
			return false, nil
		}
		return true, nil
	}
}

// peekBody reads the start of resp's body and puts it back in front of the
// rest, so that the body stays whole for whoever reads it next.
func peekBody(resp *http.Response) []byte {
	if resp.Body == nil || resp.Body == http.NoBody {
		return nil
	}
	head, err := io.ReadAll(io.LimitReader(resp.Body, peekLimit))
	resp.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(head), &errReader{err}, resp.Body), resp.Body}
	return head
}

// errReader replays a read error once the peeked bytes are consumed.
type errReader struct{ err error }

func (e *errReader) Read([]byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	return 0, io.EOF
}

// retryableTransportError is false for errors that will not go away on retry.
func retryableTransportError(err error) bool {
	var certErr *tls.CertificateVerificationError
	var unknownAuth x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	switch {
	case errors.As(err, &certErr), errors.As(err, &unknownAuth), errors.As(err, &hostErr):
		return false
	case strings.Contains(err.Error(), "unsupported protocol scheme"),
		strings.Contains(err.Error(), "stopped after 10 redirects"),
		strings.Contains(err.Error(), "http: server gave HTTP response to HTTPS client"):
		return false
	}
	return true
}

// retryAfter parses a Retry-After header (seconds or an HTTP date).
func retryAfter(resp *http.Response) (time.Duration, bool) {
	if resp == nil {
		return 0, false
	}
	v := strings.TrimSpace(resp.Header.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if s, err := strconv.Atoi(v); err == nil && s >= 0 {
		if s > int(math.MaxInt64/int64(time.Second)) {
			return math.MaxInt64, true // would overflow time.Duration
		}
		return time.Duration(s) * time.Second, true
	}
	if at, err := http.ParseTime(v); err == nil {
		return max(time.Until(at), 0), true
	}
	return 0, false
}

// backoff waits for Retry-After when the server sent one (429/503), otherwise
// min·2^attempt capped at max, with jitter in [d/2, d].
func backoff(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
	if resp != nil && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable) {
		if d, ok := retryAfter(resp); ok {
			return d
		}
	}
	attempt = max(attempt, 0)
	d := maxWait
	if attempt < 63 && minWait <= maxWait>>attempt { // minWait<<attempt <= maxWait, without overflow
		d = minWait << attempt
	}
	if d <= 0 {
		return 0
	}
	half := d / 2
	return half + time.Duration(rand.Int64N(int64(half)+1)) //nolint:gosec // jitter, not security
}

// IsCertificateError reports whether err is a failed TLS certificate check.
func IsCertificateError(err error) bool {
	return err != nil && !retryableTransportError(err) && strings.Contains(err.Error(), "x509")
}

// CertificateHint explains a certificate error to a user.
const CertificateHint = "The server's TLS certificate is not trusted. Set ca_cert to the PEM of the CA that signed " +
	"it (inline or a file path), or — for testing only — insecure_skip_verify = true."
