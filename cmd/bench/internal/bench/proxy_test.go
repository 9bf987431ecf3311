package bench

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// get sends one GET through the proxy on client c and returns how long it took.
func get(t *testing.T, c *http.Client, url string) time.Duration {
	t.Helper()
	start := time.Now()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", url, resp.Status)
	}
	return time.Since(start)
}

func TestProxyDelay(t *testing.T) {
	var mu sync.Mutex
	served := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		served++
		mu.Unlock()
		_, _ = io.WriteString(w, "ok")
	}))
	defer srv.Close()
	p, err := startProxy("test", srv.URL, droneCheck)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	c := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
	defer c.CloseIdleConnections()

	const delay = 20 * time.Millisecond
	p.SetDelay(delay)
	// Every request waits, also the ones on a connection kept alive.
	for i := range 3 {
		if d := get(t, c, p.URL()+"/api/repos/o/r/secrets"); d < delay {
			t.Errorf("request %d through a %v proxy took %v", i, delay, d)
		}
	}
	if d := get(t, c, p.URL()+"/api/user"); d < delay {
		t.Errorf("credential check through a %v proxy took %v", delay, d)
	}
	got := p.Take()
	if got.Requests != 3 || got.Checks != 1 || got.ByRoute["GET /api/repos/{repo}/secrets"] != 3 || got.Conns != 1 || got.MaxInFlight != 1 {
		t.Errorf("counts with the delay: %+v (want 3 requests, 1 check, 1 connection)", got)
	}
	if served != 4 {
		t.Errorf("the server saw %d requests, want 4", served)
	}

	// Requests in flight together wait side by side, not one after another.
	start := time.Now()
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() { defer wg.Done(); get(t, c, p.URL()+"/v1/apps/1") }()
	}
	wg.Wait()
	if d := time.Since(start); d < delay || d >= 4*delay {
		t.Errorf("4 concurrent requests through a %v proxy took %v: want one delay, not four", delay, d)
	}
	if got := p.Take(); got.Requests != 4 || got.MaxInFlight < 2 {
		t.Errorf("concurrent counts: %+v (want 4 requests, at least 2 in flight at once)", got)
	}

	// Without a delay the request is not held (loopback: well under 20 ms).
	p.SetDelay(0)
	if d := get(t, c, p.URL()+"/v1/apps/1"); d >= delay {
		t.Errorf("request without a delay took %v", d)
	}
}

func TestInFlightSummary(t *testing.T) {
	res := &result{Kind: kindMixed, N: 8, Mix: mixFor(kindMixed, 8), Samples: map[string][]sample{phaseRefresh: {
		{WallS: 1, Drone: counts{MaxInFlight: 3}, Galaxias: counts{MaxInFlight: 7}},
		{WallS: 1, Drone: counts{MaxInFlight: 2}, Galaxias: counts{MaxInFlight: 5}},
	}}}
	res.summarize()
	if got := res.Summary[phaseRefresh].MaxInFlight; got != 7 {
		t.Errorf("most in flight %d, want 7 (one server's, the worst run)", got)
	}
	if inFlight(res.Summary[phaseRefresh]) != "7" || inFlight(res.Summary[phaseApply]) != "–" {
		t.Errorf("cells %q %q", inFlight(res.Summary[phaseRefresh]), inFlight(res.Summary[phaseApply]))
	}
}
