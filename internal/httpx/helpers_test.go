package httpx

import (
	"bytes"
	"context"
	"encoding/pem"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// testVersion is the provider version used by the test clients.
const testVersion = "1.2.3-test"

// fastOptions keeps every backoff in the millisecond range.
func fastOptions() Options {
	return Options{
		Subsystem: "galaxias",
		Version:   testVersion,
		WaitMin:   time.Millisecond,
		WaitMax:   4 * time.Millisecond,
	}
}

// newClient builds a client from fastOptions, adjusted by mod.
func newClient(t *testing.T, mod func(*Options)) *http.Client {
	t.Helper()
	opts := fastOptions()
	if mod != nil {
		mod(&opts)
	}
	c, err := New(opts)
	if err != nil {
		t.Fatalf("New(%+v): %v", opts, err)
	}
	t.Cleanup(c.CloseIdleConnections)
	return c
}

// attempt is what the server saw of one request.
type attempt struct {
	at     time.Time
	method string
	header http.Header
	body   string
	url    string
}

// server is an httptest server that counts requests that reached a handler
// and connections it accepted, and records every request.
type server struct {
	*httptest.Server
	hits  atomic.Int32
	conns atomic.Int32

	mu       sync.Mutex
	attempts []attempt
}

// handlerFunc gets the 1-based number of the request on this server.
type handlerFunc func(w http.ResponseWriter, r *http.Request, n int)

func newServer(t *testing.T, h handlerFunc) *server {
	t.Helper()
	s := startServer(t, h, false)
	return s
}

func newTLSServer(t *testing.T, h handlerFunc) *server {
	t.Helper()
	return startServer(t, h, true)
}

func startServer(t *testing.T, h handlerFunc, tls bool) *server {
	t.Helper()
	s := &server{}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			t.Errorf("server: reading request body: %v", err)
		}
		s.mu.Lock()
		s.attempts = append(s.attempts, attempt{
			at: time.Now(), method: r.Method, header: r.Header.Clone(), body: string(body), url: r.URL.String(),
		})
		s.mu.Unlock()
		h(w, r, int(s.hits.Add(1)))
	}))
	s.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.conns.Add(1)
		}
	}
	// TLS handshake failures are expected in some tests; keep them quiet.
	s.Config.ErrorLog = log.New(io.Discard, "", 0)
	if tls {
		s.StartTLS()
	} else {
		s.Start()
	}
	t.Cleanup(s.Close)
	return s
}

func (s *server) recorded() []attempt {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]attempt(nil), s.attempts...)
}

// certPEM is the PEM encoding of the server's self-signed certificate.
func (s *server) certPEM() string {
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.Certificate().Raw}))
}

// reply writes status and body.
func reply(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "text/plain")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

// dropConnection closes the connection without answering, after the request
// (and its body, read by the server wrapper) was received.
func dropConnection(t *testing.T, w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		t.Errorf("server: ResponseWriter is not a Hijacker")
		return
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		t.Errorf("server: hijack: %v", err)
		return
	}
	_ = conn.Close()
}

// closedAddr returns the address of a listener that no longer listens, so
// that dialing it fails with "connection refused".
func closedAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	addr := ln.Addr().String()
	if err := ln.Close(); err != nil {
		t.Fatalf("close listener: %v", err)
	}
	return addr
}

// result is a response read in full by the caller.
type result struct {
	status int
	header http.Header
	body   string
}

// send issues one request and reads the whole response body.
func send(ctx context.Context, c *http.Client, method, url, body string) (result, error) {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return result{}, err
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.Do(req)
	if err != nil {
		return result{}, err
	}
	defer func() { _ = resp.Body.Close() }()
	var buf bytes.Buffer
	if _, err := io.Copy(&buf, resp.Body); err != nil {
		return result{}, err
	}
	return result{status: resp.StatusCode, header: resp.Header, body: buf.String()}, nil
}

// mustSend is send that fails the test on a transport error.
func mustSend(t *testing.T, c *http.Client, method, url, body string) result {
	t.Helper()
	res, err := send(context.Background(), c, method, url, body)
	if err != nil {
		t.Fatalf("%s %s: unexpected error: %v", method, url, err)
	}
	return res
}
