package httpx

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"testing/iotest"
)

// The outcome of a request is unknown exactly when its exchange failed
// after the request was handed over, or a gateway answered 502 or 504;
// every other answer is the server's verdict.
func TestOutcomeUnknown(t *testing.T) {
	lost := errors.New("read: connection reset by peer")
	for _, tc := range []struct {
		name    string
		status  int
		lost    error
		unknown bool
	}{
		{"lost answer", 0, lost, true},
		{"interrupted", 0, context.Canceled, true},
		{"bad gateway", http.StatusBadGateway, nil, true},
		{"gateway timeout", http.StatusGatewayTimeout, nil, true},
		{"ok", http.StatusOK, nil, false},
		{"created", http.StatusCreated, nil, false},
		{"conflict", http.StatusConflict, nil, false},
		{"internal error", http.StatusInternalServerError, nil, false},
		{"unavailable", http.StatusServiceUnavailable, nil, false},
		{"too many requests", http.StatusTooManyRequests, nil, false},
		{"nothing at all", 0, nil, false},
	} {
		if got := OutcomeUnknown(tc.status, tc.lost); got != tc.unknown {
			t.Errorf("%s: OutcomeUnknown(%d, %v) = %v, want %v", tc.name, tc.status, tc.lost, got, tc.unknown)
		}
	}
}

// A POST is sent again only when the server provably did not process it.
func TestNotProcessed(t *testing.T) {
	answer := func(status int, retryAfter string) *http.Response {
		h := http.Header{}
		if retryAfter != "" {
			h.Set("Retry-After", retryAfter)
		}
		return &http.Response{StatusCode: status, Header: h}
	}
	dial := &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connect: connection refused")}
	for _, tc := range []struct {
		name string
		resp *http.Response
		err  error
		want bool
	}{
		{"dial error", nil, dial, true},
		{"refused", nil, syscall.ECONNREFUSED, true},
		{"no such host", nil, &net.DNSError{Err: "no such host", Name: "x.invalid"}, true},
		{"dropped after sending", nil, &net.OpError{Op: "read", Net: "tcp", Err: io.ErrUnexpectedEOF}, false},
		{"timeout", nil, context.DeadlineExceeded, false},
		{"429 with Retry-After", answer(429, "1"), nil, true},
		{"503 with Retry-After", answer(503, "1"), nil, true},
		{"429 without Retry-After", answer(429, ""), nil, false},
		{"503 without Retry-After", answer(503, ""), nil, false},
		{"502 with Retry-After", answer(502, "1"), nil, false},
		{"500", answer(500, "1"), nil, false},
	} {
		if got := notProcessed(tc.resp, tc.err); got != tc.want {
			t.Errorf("%s: notProcessed = %v, want %v", tc.name, got, tc.want)
		}
		// A request the server did not process has no unknown outcome
		// through an answer; only a spent dial error stays on the careful side.
		if tc.resp != nil && tc.want && OutcomeUnknown(tc.resp.StatusCode, nil) {
			t.Errorf("%s: not processed, yet its outcome is unknown", tc.name)
		}
	}
}

// ReadBody reads up to MaxBody bytes and says when an answer is longer.
func TestReadBody(t *testing.T) {
	for _, n := range []int{0, 10, MaxBody} {
		b, err := ReadBody(bytes.NewReader(make([]byte, n)))
		if err != nil || len(b) != n {
			t.Errorf("%d bytes: got %d bytes, %v", n, len(b), err)
		}
	}
	b, err := ReadBody(bytes.NewReader(make([]byte, MaxBody+1)))
	if !IsBodyTooLarge(err) || len(b) != MaxBody {
		t.Errorf("MaxBody+1 bytes: got %d bytes, %v; want %d bytes and ErrBodyTooLarge", len(b), err, MaxBody)
	}
	if !strings.Contains(err.Error(), "4 MiB") {
		t.Errorf("the error must name the cap: %v", err)
	}
	cut := errors.New("unexpected EOF")
	b, err = ReadBody(io.MultiReader(strings.NewReader("abc"), iotest.ErrReader(cut)))
	if !errors.Is(err, cut) || IsBodyTooLarge(err) || string(b) != "abc" {
		t.Errorf("a failed read: got %q, %v", b, err)
	}
}
