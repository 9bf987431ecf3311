package httpx

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"
)

func respWithRetryAfter(status int, v string) *http.Response {
	h := http.Header{}
	if v != "" {
		h.Set("Retry-After", v)
	}
	return &http.Response{StatusCode: status, Header: h}
}

func TestRetryAfterSeconds(t *testing.T) {
	cases := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"", 0, false},
		{"0", 0, true},
		{"1", time.Second, true},
		{"120", 2 * time.Minute, true},
		{"  7  ", 7 * time.Second, true},
		{"-1", 0, false},
		{"1.5", 0, false},
		{"soon", 0, false},
		{"0x10", 0, false},
	}
	for _, tc := range cases {
		t.Run(strconv.Quote(tc.in), func(t *testing.T) {
			got, ok := retryAfter(respWithRetryAfter(http.StatusTooManyRequests, tc.in))
			if got != tc.want || ok != tc.ok {
				t.Fatalf("RetryAfter(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestRetryAfterNilResponse(t *testing.T) {
	if d, ok := retryAfter(nil); d != 0 || ok {
		t.Fatalf("RetryAfter(nil) = %v, %v; want 0, false", d, ok)
	}
}

func TestRetryAfterHugeSecondsDoesNotOverflow(t *testing.T) {
	// 10^10 s does not fit in a time.Duration (about 292 years max); it must
	// not wrap around to a negative or small wait.
	for _, v := range []string{"9223372037", "10000000000", "99999999999999999"} {
		d, ok := retryAfter(respWithRetryAfter(http.StatusServiceUnavailable, v))
		if !ok {
			t.Errorf("RetryAfter(%q) not recognised", v)
			continue
		}
		if d < 100*365*24*time.Hour {
			t.Errorf("RetryAfter(%q) = %v, want a very long wait, not an overflowed value", v, d)
		}
	}
}

func TestRetryAfterHTTPDate(t *testing.T) {
	future := time.Now().Add(10 * time.Second).UTC()
	cases := []struct {
		name     string
		in       string
		min, max time.Duration
	}{
		// HTTP dates have one-second precision.
		{"IMF-fixdate in the future", future.Format(http.TimeFormat), 8 * time.Second, 10 * time.Second},
		{"RFC 850 in the future", future.Format(time.RFC850), 8 * time.Second, 10 * time.Second},
		{"ANSI C in the future", future.Format(time.ANSIC), 8 * time.Second, 10 * time.Second},
		{"in the past is zero", time.Now().Add(-time.Hour).UTC().Format(http.TimeFormat), 0, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d, ok := retryAfter(respWithRetryAfter(http.StatusServiceUnavailable, tc.in))
			if !ok {
				t.Fatalf("RetryAfter(%q) not recognised", tc.in)
			}
			if d < tc.min || d > tc.max {
				t.Fatalf("RetryAfter(%q) = %v, want within [%v, %v]", tc.in, d, tc.min, tc.max)
			}
		})
	}
	if _, ok := retryAfter(respWithRetryAfter(http.StatusServiceUnavailable, "Friday, sometime")); ok {
		t.Fatal("a malformed date was accepted")
	}
}

// The only slow test: a real one-second Retry-After.
func TestRetryAfterHonoured(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, _ *http.Request, n int) {
		if n == 1 {
			w.Header().Set("Retry-After", "1")
			reply(w, http.StatusTooManyRequests, "slow down")
			return
		}
		reply(w, http.StatusOK, "ok")
	})
	// WaitMax far below one second: only Retry-After can explain the wait.
	c := newClient(t, nil)

	res := mustSend(t, c, http.MethodGet, srv.URL, "")
	if res.status != http.StatusOK {
		t.Fatalf("status = %d, want 200", res.status)
	}
	got := srv.recorded()
	if len(got) != 2 {
		t.Fatalf("server saw %d attempts, want 2", len(got))
	}
	if gap := got[1].at.Sub(got[0].at); gap < 950*time.Millisecond {
		t.Fatalf("second attempt came %v after the first, want >= ~1s (Retry-After: 1)", gap)
	}
}

func TestRetryAfterPastDeadlineIsNotWaitedFor(t *testing.T) {
	for _, method := range []string{http.MethodGet, http.MethodPost} {
		for _, status := range []int{http.StatusTooManyRequests, http.StatusServiceUnavailable} {
			t.Run(method+"/"+strconv.Itoa(status), func(t *testing.T) {
				srv := newServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
					w.Header().Set("Retry-After", "30")
					reply(w, status, `{"message":"come back later"}`)
				})
				c := newClient(t, nil)
				var buf bytes.Buffer
				ctx, cancel := context.WithTimeout(tflogtest.RootLogger(context.Background(), &buf), 200*time.Millisecond)
				defer cancel()

				start := time.Now()
				res, err := send(ctx, c, method, srv.URL, `{"a":1}`)
				elapsed := time.Since(start)
				if err != nil {
					t.Fatalf("want the %d response, got error after %v: %v", status, elapsed, err)
				}
				if res.status != status || res.body != `{"message":"come back later"}` {
					t.Fatalf("got %d %q, want %d with its body", res.status, res.body, status)
				}
				if got := srv.hits.Load(); got != 1 {
					t.Fatalf("server hits = %d, want 1", got)
				}
				// No error and the server's response means it did not wait for the
				// deadline; the bound only catches a grossly slow return.
				if elapsed > time.Second {
					t.Errorf("returned after %v: it waited instead of returning promptly", elapsed)
				}
				entries, err := tflogtest.MultilineJSONDecode(&buf)
				if err != nil {
					t.Fatal(err)
				}
				if !hasEntry(entries, func(e map[string]any) bool {
					return e["@level"] == "warn" && e["@message"] == "not retrying: Retry-After reaches past the operation's deadline"
				}) {
					t.Errorf("no warning logged about the Retry-After past the deadline; entries: %v", entries)
				}
			})
		}
	}
}

func TestRetryAfterWithinDeadlineIsRetried(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, _ *http.Request, n int) {
		if n == 1 {
			w.Header().Set("Retry-After", "0")
			reply(w, http.StatusServiceUnavailable, "busy")
			return
		}
		reply(w, http.StatusOK, "ok")
	})
	c := newClient(t, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()

	res, err := send(ctx, c, http.MethodGet, srv.URL, "")
	if err != nil || res.status != http.StatusOK {
		t.Fatalf("got %d, %v; want 200", res.status, err)
	}
	if got := srv.hits.Load(); got != 2 {
		t.Fatalf("server hits = %d, want 2", got)
	}
}

func TestContextDeadlineDuringBackoffReturnsPromptly(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		reply(w, http.StatusInternalServerError, "oops")
	})
	// backoff of 5-10s: far past the 150ms deadline.
	c := newClient(t, func(o *Options) { o.WaitMin, o.WaitMax = 10*time.Second, 10*time.Second })
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	defer cancel()

	start := time.Now()
	_, err := send(ctx, c, http.MethodGet, srv.URL, "")
	elapsed := time.Since(start)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want context.DeadlineExceeded", err)
	}
	if elapsed > time.Second {
		t.Fatalf("returned after %v, want promptly after the 150ms deadline", elapsed)
	}
	if got := srv.hits.Load(); got != 1 {
		t.Fatalf("server hits = %d, want 1", got)
	}
}

func TestContextCancelDuringBackoffReturnsPromptly(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	srv := newServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		reply(w, http.StatusBadGateway, "bad gateway")
		// Cancel shortly after the client got the response and started waiting.
		time.AfterFunc(50*time.Millisecond, cancel)
	})
	c := newClient(t, func(o *Options) { o.WaitMin, o.WaitMax = 10*time.Second, 10*time.Second })

	start := time.Now()
	_, err := send(ctx, c, http.MethodPut, srv.URL, `{}`)
	elapsed := time.Since(start)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if elapsed > time.Second {
		t.Fatalf("returned after %v, want promptly after the cancellation", elapsed)
	}
	if got := srv.hits.Load(); got != 1 {
		t.Fatalf("server hits = %d, want 1", got)
	}
}

func TestAlreadyCancelledContextMakesNoAttempt(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) { reply(w, http.StatusOK, "") })
	c := newClient(t, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()

	_, err := send(ctx, c, http.MethodGet, srv.URL, "")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if got := srv.hits.Load(); got != 0 {
		t.Fatalf("server hits = %d, want 0", got)
	}
}

func hasEntry(entries []map[string]any, pred func(map[string]any) bool) bool {
	for _, e := range entries {
		if pred(e) {
			return true
		}
	}
	return false
}
