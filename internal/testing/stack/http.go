package stack

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"time"
)

var httpClient = &http.Client{Timeout: 30 * time.Second}

// request describes one HTTP call to a stack server.
type request struct {
	method, url string
	body        any               // JSON-encoded when not nil
	header      map[string]string // extra headers (Authorization, ...)
	user, pass  string            // basic auth when user is set
}

// response is the status, headers and body of an answered call.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (r *response) decode(v any) error {
	if err := json.Unmarshal(r.body, v); err != nil {
		return fmt.Errorf("decoding %q: %w", snippet(r.body), err)
	}
	return nil
}

func (r *response) errorf(what string) error {
	return fmt.Errorf("%s: HTTP %d: %s", what, r.status, snippet(r.body))
}

func snippet(b []byte) string {
	b = bytes.TrimSpace(b)
	if len(b) > 300 {
		b = append(b[:300:300], "..."...)
	}
	return string(b)
}

func bearer(token string) map[string]string {
	return map[string]string{"Authorization": "Bearer " + token}
}

func do(ctx context.Context, r request) (*response, error) {
	var body io.Reader
	if r.body != nil {
		b, err := json.Marshal(r.body)
		if err != nil {
			return nil, err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, r.url, body)
	if err != nil {
		return nil, err
	}
	if r.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	for k, v := range r.header {
		req.Header.Set(k, v)
	}
	if r.user != "" {
		req.SetBasicAuth(r.user, r.pass)
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	return &response{status: resp.StatusCode, header: resp.Header, body: b}, nil
}

// waitFor polls until the call answers with status want, the process p
// exits (when p is not nil), or timeout passes.
func waitFor(ctx context.Context, p *proc, timeout time.Duration, r request, want int) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var last error
	for {
		if p != nil && p.exited() {
			return fmt.Errorf("%s exited before it was ready", p.Name)
		}
		resp, err := do(ctx, r)
		switch {
		case err != nil:
			last = err
		case resp.status == want:
			return nil
		default:
			last = resp.errorf(r.method + " " + r.url)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("not ready after %s: %w", timeout, last)
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// freePort returns a loopback port that is free now, preferring want.
func freePort(want int) (int, error) {
	if want > 0 {
		if l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(want)); err == nil {
			l.Close()
			return want, nil
		}
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
