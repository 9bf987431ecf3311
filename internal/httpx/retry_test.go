package httpx

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

var transientStatuses = []int{
	http.StatusInternalServerError,
	http.StatusBadGateway,
	http.StatusServiceUnavailable,
	http.StatusGatewayTimeout,
	http.StatusTooManyRequests,
}

func TestGETRetriedOnTransientStatusThenSucceeds(t *testing.T) {
	for _, status := range transientStatuses {
		t.Run(strconv.Itoa(status), func(t *testing.T) {
			srv := newServer(t, func(w http.ResponseWriter, _ *http.Request, n int) {
				if n <= 2 {
					reply(w, status, "transient failure")
					return
				}
				reply(w, http.StatusOK, "ok")
			})
			c := newClient(t, func(o *Options) { o.MaxRetries = 3 })

			res := mustSend(t, c, http.MethodGet, srv.URL+"/thing", "")
			if res.status != http.StatusOK || res.body != "ok" {
				t.Fatalf("got %d %q, want 200 \"ok\"", res.status, res.body)
			}
			if got := srv.hits.Load(); got != 3 {
				t.Fatalf("server hits = %d, want 3 (two failures, one success)", got)
			}
		})
	}
}

func TestGETNotRetriedOnPermanentStatus(t *testing.T) {
	for _, status := range []int{http.StatusBadRequest, http.StatusNotFound, http.StatusNotImplemented} {
		t.Run(strconv.Itoa(status), func(t *testing.T) {
			srv := newServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
				reply(w, status, `{"message":"permanent"}`)
			})
			c := newClient(t, func(o *Options) { o.MaxRetries = 3 })

			res := mustSend(t, c, http.MethodGet, srv.URL, "")
			if res.status != status || res.body != `{"message":"permanent"}` {
				t.Fatalf("got %d %q, want %d with the server's body", res.status, res.body, status)
			}
			if got := srv.hits.Load(); got != 1 {
				t.Fatalf("server hits = %d, want 1 (no retry)", got)
			}
		})
	}
}

func TestRetriesExhaustedReturnsLastResponseWithBody(t *testing.T) {
	for _, status := range transientStatuses {
		t.Run(strconv.Itoa(status), func(t *testing.T) {
			srv := newServer(t, func(w http.ResponseWriter, _ *http.Request, n int) {
				w.Header().Set("X-Attempt", strconv.Itoa(n))
				reply(w, status, fmt.Sprintf(`{"message":"failure number %d"}`, n))
			})
			c := newClient(t, func(o *Options) { o.MaxRetries = 2 })

			res, err := send(context.Background(), c, http.MethodGet, srv.URL, "")
			if err != nil {
				t.Fatalf("want the last response and no error once retries are exhausted, got error: %v", err)
			}
			if got := srv.hits.Load(); got != 3 {
				t.Fatalf("server hits = %d, want 3 (1 attempt + MaxRetries 2)", got)
			}
			if res.status != status {
				t.Fatalf("status = %d, want %d", res.status, status)
			}
			if want := `{"message":"failure number 3"}`; res.body != want {
				t.Fatalf("body = %q, want the body of the last response %q", res.body, want)
			}
			if res.header.Get("X-Attempt") != "3" {
				t.Fatalf("X-Attempt = %q, want the headers of the last response (3)", res.header.Get("X-Attempt"))
			}
		})
	}
}

func TestNegativeMaxRetriesMeansSingleAttempt(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		reply(w, http.StatusServiceUnavailable, "down for maintenance")
	})
	c := newClient(t, func(o *Options) { o.MaxRetries = -1 })

	res := mustSend(t, c, http.MethodGet, srv.URL, "")
	if got := srv.hits.Load(); got != 1 {
		t.Fatalf("server hits = %d, want 1", got)
	}
	if res.status != http.StatusServiceUnavailable || res.body != "down for maintenance" {
		t.Fatalf("got %d %q, want 503 with the server's body", res.status, res.body)
	}
}

func TestZeroMaxRetriesMeansDefault(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		reply(w, http.StatusBadGateway, "bad gateway")
	})
	c := newClient(t, func(o *Options) { o.MaxRetries = 0 })

	res := mustSend(t, c, http.MethodGet, srv.URL, "")
	if got, want := srv.hits.Load(), int32(defaultMaxRetries+1); got != want {
		t.Fatalf("server hits = %d, want %d (defaultMaxRetries+1)", got, want)
	}
	if res.status != http.StatusBadGateway {
		t.Fatalf("status = %d, want 502", res.status)
	}
}

func TestGETRetriedOnDroppedConnection(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, _ *http.Request, n int) {
		if n == 1 {
			dropConnection(t, w)
			return
		}
		reply(w, http.StatusOK, "ok")
	})
	c := newClient(t, nil)

	res := mustSend(t, c, http.MethodGet, srv.URL, "")
	if res.status != http.StatusOK || res.body != "ok" {
		t.Fatalf("got %d %q, want 200 ok", res.status, res.body)
	}
	if got := srv.hits.Load(); got != 2 {
		t.Fatalf("server hits = %d, want 2", got)
	}
}

func TestGETRetriedOnConnectionRefusedThenFailsWithCause(t *testing.T) {
	c := newClient(t, func(o *Options) { o.MaxRetries = 2 })

	_, err := send(context.Background(), c, http.MethodGet, "http://"+closedAddr(t)+"/x", "")
	if err == nil {
		t.Fatal("want an error, got none")
	}
	if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("error does not wrap ECONNREFUSED: %v", err)
	}
	if !strings.Contains(err.Error(), "after 3 attempts") {
		t.Errorf("error %q does not say how many attempts were made (3)", err)
	}
}

func TestPerAttemptTimeoutRetriesGET(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 1 {
			select { // stall until the client gives up on this attempt
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
			return
		}
		reply(w, http.StatusOK, "ok")
	})
	c := newClient(t, func(o *Options) { o.Timeout = 250 * time.Millisecond })

	start := time.Now()
	res := mustSend(t, c, http.MethodGet, srv.URL, "")
	if res.status != http.StatusOK {
		t.Fatalf("status = %d, want 200", res.status)
	}
	if got := srv.hits.Load(); got != 2 {
		t.Fatalf("server hits = %d, want 2", got)
	}
	if el := time.Since(start); el > 3*time.Second {
		t.Fatalf("took %v: the per-attempt timeout was not applied", el)
	}
}

func TestPerAttemptTimeoutDoesNotRetryPOST(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	c := newClient(t, func(o *Options) { o.Timeout = 100 * time.Millisecond })

	_, err := send(context.Background(), c, http.MethodPost, srv.URL, `{"a":1}`)
	if err == nil {
		t.Fatal("want a timeout error, got none")
	}
	if got := srv.hits.Load(); got != 1 {
		t.Fatalf("server hits = %d, want 1: a POST that may have been processed must not be retried", got)
	}
}

func TestPOSTNotRetriedWhenServerMayHaveProcessedIt(t *testing.T) {
	cases := []struct {
		name       string
		status     int
		retryAfter string
	}{
		{"500", http.StatusInternalServerError, ""},
		{"502", http.StatusBadGateway, ""},
		{"503 without Retry-After", http.StatusServiceUnavailable, ""},
		{"504", http.StatusGatewayTimeout, ""},
		{"429 without Retry-After", http.StatusTooManyRequests, ""},
		{"500 with Retry-After", http.StatusInternalServerError, "0"},
		{"503 with unparsable Retry-After", http.StatusServiceUnavailable, "soon"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := newServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
				if tc.retryAfter != "" {
					w.Header().Set("Retry-After", tc.retryAfter)
				}
				reply(w, tc.status, "server error body")
			})
			c := newClient(t, func(o *Options) { o.MaxRetries = 3 })

			res := mustSend(t, c, http.MethodPost, srv.URL, `{"name":"x"}`)
			if got := srv.hits.Load(); got != 1 {
				t.Fatalf("server hits = %d, want 1 (POST must not be retried)", got)
			}
			if res.status != tc.status || res.body != "server error body" {
				t.Fatalf("got %d %q, want %d with the server's body", res.status, res.body, tc.status)
			}
		})
	}
}

func TestPOSTNotRetriedOnDroppedConnection(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, _ *http.Request, n int) {
		if n == 1 {
			dropConnection(t, w)
			return
		}
		reply(w, http.StatusCreated, "created twice!")
	})
	c := newClient(t, func(o *Options) { o.MaxRetries = 3 })

	_, err := send(context.Background(), c, http.MethodPost, srv.URL, `{"name":"x"}`)
	if err == nil {
		t.Fatal("want an error for a dropped connection, got none")
	}
	if got := srv.hits.Load(); got != 1 {
		t.Fatalf("server hits = %d, want exactly 1: the server read the POST, retrying could create twice", got)
	}
	if strings.Contains(err.Error(), "attempts") {
		t.Errorf("error %q claims several attempts for a single one", err)
	}
}

func TestPOSTRetriedOnRetryAfter(t *testing.T) {
	for _, status := range []int{http.StatusTooManyRequests, http.StatusServiceUnavailable} {
		t.Run(strconv.Itoa(status), func(t *testing.T) {
			srv := newServer(t, func(w http.ResponseWriter, _ *http.Request, n int) {
				if n == 1 {
					w.Header().Set("Retry-After", "0")
					reply(w, status, "slow down")
					return
				}
				reply(w, http.StatusCreated, `{"id":7}`)
			})
			c := newClient(t, func(o *Options) { o.MaxRetries = 3 })

			const body = `{"name":"x","tags":["a","b"]}`
			res := mustSend(t, c, http.MethodPost, srv.URL, body)
			if res.status != http.StatusCreated || res.body != `{"id":7}` {
				t.Fatalf("got %d %q, want 201", res.status, res.body)
			}
			if got := srv.hits.Load(); got != 2 {
				t.Fatalf("server hits = %d, want 2", got)
			}
			for i, a := range srv.recorded() {
				if a.body != body {
					t.Errorf("attempt %d body = %q, want %q", i+1, a.body, body)
				}
			}
		})
	}
}

func TestPOSTRetriedOnConnectionRefused(t *testing.T) {
	c := newClient(t, func(o *Options) { o.MaxRetries = 2 })
	addr := closedAddr(t)

	start := time.Now()
	_, err := send(context.Background(), c, http.MethodPost, "http://"+addr+"/v1/items", `{"a":1}`)
	if err == nil {
		t.Fatal("want an error, got none")
	}
	msg := err.Error()
	if !strings.Contains(msg, "connection refused") {
		t.Errorf("error %q does not mention the cause (connection refused)", msg)
	}
	if !strings.Contains(msg, "after 3 attempts") {
		t.Errorf("error %q does not say a POST that never reached the server was tried 3 times", msg)
	}
	if !strings.Contains(msg, "POST") || !strings.Contains(msg, addr) {
		t.Errorf("error %q does not name the method and URL", msg)
	}
	if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("error does not wrap ECONNREFUSED: %v", err)
	}
	if el := time.Since(start); el > 2*time.Second {
		t.Errorf("took %v, want millisecond backoffs", el)
	}
}

// A POST that never reached the server is tried exactly 1+MaxRetries times.
func TestPOSTConnectionRefusedAttemptsFollowMaxRetries(t *testing.T) {
	for _, retries := range []int{-1, 1, 4} {
		t.Run(strconv.Itoa(retries), func(t *testing.T) {
			c := newClient(t, func(o *Options) { o.MaxRetries = retries })
			_, err := send(context.Background(), c, http.MethodPost, "http://"+closedAddr(t), `{}`)
			if err == nil {
				t.Fatal("want an error")
			}
			attempts := retries + 1
			if retries < 0 {
				attempts = 1
			}
			wantSeveral := fmt.Sprintf("after %d attempts", attempts)
			if attempts > 1 && !strings.Contains(err.Error(), wantSeveral) {
				t.Errorf("error %q does not contain %q", err, wantSeveral)
			}
			if attempts == 1 && strings.Contains(err.Error(), "attempts") {
				t.Errorf("error %q claims several attempts for a single one", err)
			}
		})
	}
}

func TestIdempotentMethodsRetried(t *testing.T) {
	for _, method := range []string{http.MethodPut, http.MethodPatch, http.MethodDelete} {
		t.Run(method+"/500", func(t *testing.T) {
			srv := newServer(t, func(w http.ResponseWriter, _ *http.Request, n int) {
				if n == 1 {
					reply(w, http.StatusInternalServerError, "oops")
					return
				}
				reply(w, http.StatusOK, "done")
			})
			c := newClient(t, nil)
			res := mustSend(t, c, method, srv.URL, `{"k":"v"}`)
			if res.status != http.StatusOK || res.body != "done" {
				t.Fatalf("got %d %q, want 200 done", res.status, res.body)
			}
			if got := srv.hits.Load(); got != 2 {
				t.Fatalf("server hits = %d, want 2", got)
			}
		})
		t.Run(method+"/dropped", func(t *testing.T) {
			srv := newServer(t, func(w http.ResponseWriter, _ *http.Request, n int) {
				if n == 1 {
					dropConnection(t, w)
					return
				}
				reply(w, http.StatusOK, "done")
			})
			c := newClient(t, nil)
			res := mustSend(t, c, method, srv.URL, `{"k":"v"}`)
			if res.status != http.StatusOK || res.body != "done" {
				t.Fatalf("got %d %q, want 200 done", res.status, res.body)
			}
			if got := srv.hits.Load(); got != 2 {
				t.Fatalf("server hits = %d, want 2", got)
			}
		})
	}
}

func TestRequestBodyResentIntactOnEachRetry(t *testing.T) {
	const body = `{"name":"pipeline","steps":[{"image":"golang:1.26","commands":["go test ./..."]}],"unicode":"é✓"}`
	srv := newServer(t, func(w http.ResponseWriter, _ *http.Request, n int) {
		if n <= 2 {
			reply(w, http.StatusBadGateway, "")
			return
		}
		reply(w, http.StatusOK, "saved")
	})
	c := newClient(t, nil)

	res := mustSend(t, c, http.MethodPut, srv.URL+"/v1/items/1", body)
	if res.status != http.StatusOK {
		t.Fatalf("status = %d, want 200", res.status)
	}
	got := srv.recorded()
	if len(got) != 3 {
		t.Fatalf("server saw %d attempts, want 3", len(got))
	}
	for i, a := range got {
		if a.method != http.MethodPut {
			t.Errorf("attempt %d method = %s", i+1, a.method)
		}
		if a.body != body {
			t.Errorf("attempt %d body = %q, want %q", i+1, a.body, body)
		}
		if ct := a.header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("attempt %d Content-Type = %q", i+1, ct)
		}
		if a.url != "/v1/items/1" {
			t.Errorf("attempt %d URL = %q", i+1, a.url)
		}
	}
}

func TestRequestBodyClosedByTransport(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) { reply(w, http.StatusOK, "") })
	c := newClient(t, nil)

	body := &closeTracker{Reader: strings.NewReader(`{"a":1}`)}
	req, err := http.NewRequest(http.MethodPut, srv.URL, body)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if !body.closed() {
		t.Fatal("the request body was never closed: a RoundTripper must close it")
	}
}

type closeTracker struct {
	*strings.Reader
	mu sync.Mutex
	n  int
}

func (c *closeTracker) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n++
	return nil
}

func (c *closeTracker) closed() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n > 0
}

func TestConcurrentRequestsWithRetries(t *testing.T) {
	var mu sync.Mutex
	seen := map[string]int{}
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		mu.Lock()
		seen[r.URL.Path]++
		n := seen[r.URL.Path]
		mu.Unlock()
		if n == 1 {
			reply(w, http.StatusServiceUnavailable, "busy")
			return
		}
		reply(w, http.StatusOK, r.URL.Path)
	})
	c := WithHeader(newClient(t, nil), "Authorization", "Bearer t")

	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 5 {
				path := fmt.Sprintf("/g%d/r%d", g, i)
				res, err := send(context.Background(), c, http.MethodGet, srv.URL+path, "")
				if err != nil {
					t.Errorf("%s: %v", path, err)
					return
				}
				if res.status != http.StatusOK || res.body != path {
					t.Errorf("%s: got %d %q", path, res.status, res.body)
				}
			}
		}()
	}
	wg.Wait()
	if got := srv.hits.Load(); got != 80 {
		t.Fatalf("server hits = %d, want 80 (40 requests, each retried once)", got)
	}
}
