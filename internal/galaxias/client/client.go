// Package client speaks the Galaxias API as written down in
// docs/galaxias-api.md. It authenticates with a token or with a user name and
// password, turns error bodies into *APIError, follows every page of lists
// and never records one deployment intent twice.
//
// Retries, timeouts, TLS, logging and the User-Agent belong to the
// *http.Client passed in Options (the project's internal/httpx builds one);
// this package works with any *http.Client.
package client

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/galaxias/terraform-provider-galaxias/internal/httpx"
)

// Options configure a Client. Give Token, or Username and Password, or both
// (the token is used first; the password logs in again when it is refused
// or about to expire).
type Options struct {
	// BaseURL of the backend, e.g. http://galaxias:8888 (a trailing /v1 is
	// accepted and ignored).
	BaseURL  string
	Token    string
	Username string
	Password string
	// HTTPClient sends the requests; nil means http.DefaultClient. Build it
	// with httpx.Options.Permanent = PermanentAnswer so that deterministic
	// errors are not retried.
	HTTPClient *http.Client
	// PollInterval is how often WaitDeployment asks for the status of an
	// asynchronous deployment (default 2s).
	PollInterval time.Duration
	// Dialect chooses the server's dialect where an answer cannot tell; empty
	// (DialectAuto) detects it from the first answers (see Dialect).
	Dialect Dialect
	// LoginRetryPause is the mean pause before another attempt of a login
	// that collided with another login of the same user within one second
	// (the re-implementation answers the later one 500); each pause is
	// drawn at random between a tenth of it and 1.1 times it (default 1s).
	// It is also the unit of the random pause, growing with each attempt,
	// before a request logs in again because another session of the same
	// user replaced its token.
	LoginRetryPause time.Duration
	// LoginRaceTimeout is how long such collisions are retried before the
	// login fails (default 1m).
	LoginRaceTimeout time.Duration
}

// Client is a Galaxias API client. It is safe for concurrent use.
type Client struct {
	base       string
	http       *http.Client
	username   string
	password   string
	poll       time.Duration
	loginPause time.Duration
	loginWait  time.Duration
	now        func() time.Time

	mu       sync.Mutex // guards token and tokenExp
	token    string
	tokenExp time.Time // zero: the token has no exp claim

	learned dialectState

	lists refreshLists // a refresh's reads, served from lists

	retired retiredNames // names of deleted users seen by this client
}

// New checks the options and returns a client. It does not contact the server.
func New(opts Options) (*Client, error) {
	u, err := url.Parse(strings.TrimSpace(opts.BaseURL))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("galaxias: base URL %q must be an http or https URL", opts.BaseURL)
	}
	if opts.Token == "" && (opts.Username == "" || opts.Password == "") {
		return nil, errors.New("galaxias: give a token, or a username and a password")
	}
	switch opts.Dialect {
	case DialectAuto, dialectGalaxias, DialectRock:
	default:
		return nil, fmt.Errorf("galaxias: api dialect %q is none of %q, %q, %q", opts.Dialect, DialectAuto, dialectGalaxias, DialectRock)
	}
	c := &Client{
		base:       strings.TrimSuffix(strings.TrimSuffix(u.String(), "/"), "/v1"),
		http:       opts.HTTPClient,
		username:   opts.Username,
		password:   opts.Password,
		poll:       opts.PollInterval,
		loginPause: opts.LoginRetryPause,
		loginWait:  opts.LoginRaceTimeout,
		now:        time.Now,
		lists:      newRefreshLists(),
	}
	c.setToken(opts.Token)
	if c.http == nil {
		c.http = http.DefaultClient
	}
	if c.poll <= 0 {
		c.poll = 2 * time.Second
	}
	if c.loginPause <= 0 {
		c.loginPause = time.Second
	}
	if c.loginWait <= 0 {
		c.loginWait = time.Minute
	}
	if opts.Dialect != DialectAuto {
		c.learned.set(opts.Dialect, "configured")
	}
	return c, nil
}

// setToken keeps a token and its expiry (from the JWT's exp claim, if any).
// Callers hold c.mu or own c exclusively.
func (c *Client) setToken(tok string) {
	c.token = tok
	c.tokenExp = tokenExpiry(tok)
}

// tokenExpiry reads the exp claim of a JWT without checking its signature
// (the server does that); zero if there is none or tok is not a JWT.
func tokenExpiry(tok string) time.Time {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return time.Time{}
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return time.Time{}
	}
	var claims struct {
		Exp json.Number `json:"exp"`
	}
	if json.Unmarshal(payload, &claims) != nil || claims.Exp == "" {
		return time.Time{}
	}
	exp, err := claims.Exp.Float64()
	if err != nil || exp <= 0 || exp > 1e12 {
		return time.Time{}
	}
	return time.Unix(int64(exp), 0)
}

// renewMargin is how long before its exp a token is renewed by a login.
const renewMargin = 30 * time.Second

func (c *Client) canLogin() bool { return c.username != "" && c.password != "" }

// currentToken returns the token to send, logging in first if the client
// has a password and no token yet, or a token about to expire.
func (c *Client) currentToken(ctx context.Context) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	expiring := !c.tokenExp.IsZero() && c.now().Add(renewMargin).After(c.tokenExp)
	if c.token == "" || expiring && c.canLogin() {
		if err := c.loginLocked(ctx); err != nil {
			return "", err
		}
	}
	return c.token, nil
}

// relogin logs in again after used was refused, unless another request
// already did (so concurrent 401s cause one login, not a login storm that
// would invalidate each other's tokens).
func (c *Client) relogin(ctx context.Context, used string) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.token != used {
		return c.token, nil
	}
	if err := c.loginLocked(ctx); err != nil {
		return "", err
	}
	return c.token, nil
}

// call is one API request.
type call struct {
	method string
	path   string
	query  url.Values
	body   any    // JSON-encoded, unless raw is set
	raw    []byte // sent as is with contentType
	ctype  string
}

// do sends the call with authentication and decodes the answer into out (if
// not nil). With a password it logs in again on a 401 and repeats the
// request; see retryUnauthorized for how often.
func (c *Client) do(ctx context.Context, cl call, out any) error {
	tok, err := c.currentToken(ctx)
	if err != nil {
		return err
	}
	_, err = c.exchange(ctx, cl, tok, out)
	for relogins := 0; c.retryUnauthorized(err, relogins); relogins++ {
		if err := c.reloginPause(ctx, relogins); err != nil {
			return err
		}
		if tok, err = c.relogin(ctx, tok); err != nil {
			return err
		}
		_, err = c.exchange(ctx, cl, tok, out)
	}
	if tokenReplaced(err) && c.canLogin() { // other sessions kept replacing the token
		return &sessionsError{Name: c.username, Err: err}
	}
	return err
}

// exchange sends one request and decodes its answer into out. It returns the
// answer's headers.
func (c *Client) exchange(ctx context.Context, cl call, token string, out any) (http.Header, error) {
	payload, ctype := cl.raw, cl.ctype
	if cl.body != nil {
		var err error
		if payload, err = json.Marshal(cl.body); err != nil {
			return nil, fmt.Errorf("galaxias: %s %s: encoding the request: %w", cl.method, cl.path, err)
		}
		ctype = "application/json"
	}
	u := c.base + cl.path
	if len(cl.query) > 0 {
		u += "?" + cl.query.Encode()
	}
	var body io.Reader
	if payload != nil {
		body = bytes.NewReader(payload) // lets the transport replay it (GetBody)
	}
	req, err := http.NewRequestWithContext(ctx, cl.method, u, body)
	if err != nil {
		return nil, fmt.Errorf("galaxias: %s %s: %w", cl.method, cl.path, err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	req.Header.Set("Accept", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, &transportError{Method: cl.method, Path: cl.path, Err: err}
	}
	defer func() { _ = resp.Body.Close() }()
	return resp.Header, c.decodeResponse(resp, cl.method, cl.path, out)
}

// decodeResponse turns a 2xx answer into out and anything else into an
// *APIError.
func (c *Client) decodeResponse(resp *http.Response, method, path string, out any) error {
	body, err := httpx.ReadBody(resp.Body)
	if err != nil && !httpx.IsBodyTooLarge(err) {
		return &transportError{Method: method, Path: path, Err: err}
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		if err != nil {
			return fmt.Errorf("galaxias: %s %s: %w", method, path, err)
		}
		if out == nil || len(bytes.TrimSpace(body)) == 0 {
			return nil
		}
		if err := json.Unmarshal(body, out); err != nil {
			return fmt.Errorf("galaxias: %s %s: decoding the answer: %w", method, path, err)
		}
		return nil
	}
	ae := parseAPIError(resp.StatusCode, body, method, path)
	if resp.StatusCode == http.StatusUnauthorized && !c.canLogin() && !isRoleRefusal(ae) {
		ae.tokenOnly = true
	}
	return ae
}

// get, send and listAll are the typed shapes of do.

func get[T any](ctx context.Context, c *Client, path string, query url.Values) (*T, error) {
	var out T
	if err := c.do(ctx, call{method: "GET", path: path, query: query}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

func send[T any](ctx context.Context, c *Client, method, path string, body any) (*T, error) {
	var out T
	if err := c.do(ctx, call{method: method, path: path, body: body}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

func (c *Client) del(ctx context.Context, path string, query url.Values) error {
	return c.do(ctx, call{method: "DELETE", path: path, query: query}, nil)
}
