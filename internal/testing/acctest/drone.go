package acctest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/galaxias/terraform-provider-galaxias/internal/drone/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/httpx"
)

// Drone returns a client of the stack's Drone for out-of-band changes and
// checks, with the admin token.
func Drone(t testing.TB) *client.Client {
	return DroneAt(t, Env(t, "DRONE_SERVER"), Env(t, "DRONE_TOKEN"))
}

// DroneAs returns a client of the stack's Drone for a given token.
func DroneAs(t testing.TB, token string) *client.Client {
	return DroneAt(t, Env(t, "DRONE_SERVER"), token)
}

// DroneAt returns a Drone client for a server and a token.
func DroneAt(t testing.TB, server, token string) *client.Client {
	t.Helper()
	base, err := httpx.New(httpx.Options{Subsystem: "acctest", MaxRetries: 2})
	if err != nil {
		t.Fatal(err)
	}
	return client.New(server, token, base)
}

// DroneAPI returns the typed API of the stack's Drone (1.x), with the admin
// token.
func DroneAPI(t testing.TB) client.Dialect {
	return client.NewDialect(Drone(t), client.ServerInfo{API: client.API1})
}

// DronePath joins the escaped segments of a Drone API path; an empty
// segment fails the test.
func DronePath(t testing.TB, segs ...string) string {
	t.Helper()
	p, err := client.Path(segs...)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// Recorder is a reverse proxy in front of the stack's Drone that records the
// requests going through it, to check what a provider operation sent.
type Recorder struct {
	URL   string // point the provider's server at it
	mu    sync.Mutex
	calls []string // "METHOD /path"
}

// DroneRecorder starts a Recorder in front of DRONE_SERVER for the test.
func DroneRecorder(t testing.TB) *Recorder {
	t.Helper()
	target, err := url.Parse(Env(t, "DRONE_SERVER"))
	if err != nil {
		t.Fatal(err)
	}
	rec := &Recorder{}
	proxy := httputil.NewSingleHostReverseProxy(target)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.mu.Lock()
		rec.calls = append(rec.calls, r.Method+" "+r.URL.Path)
		rec.mu.Unlock()
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	rec.URL = srv.URL
	return rec
}

// Calls returns the requests recorded so far.
func (r *Recorder) Calls() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.calls...)
}

// Writes returns the recorded requests that are not GET, HEAD or OPTIONS,
// sorted.
func (r *Recorder) Writes() []string {
	var w []string
	for _, c := range r.Calls() {
		m, _, _ := strings.Cut(c, " ")
		if m != http.MethodGet && m != http.MethodHead && m != http.MethodOptions {
			w = append(w, c)
		}
	}
	sort.Strings(w)
	return w
}

// Reset forgets the recorded requests.
func (r *Recorder) Reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = nil
}

// DroneDo calls the Drone API with the admin token and fails the test on an
// error.
func DroneDo(t testing.TB, method, path string, in, out any) {
	t.Helper()
	if err := Drone(t).Do(context.Background(), method, path, in, out); err != nil {
		t.Fatalf("drone %s %s: %v", method, path, err)
	}
}

// CleanupDrone deletes a Drone object (org secret, user...) when the test
// ends, whatever Terraform did; a 404 is fine.
func CleanupDrone(t testing.TB, path string) {
	t.Helper()
	t.Cleanup(func() {
		_ = Drone(t).Do(context.Background(), http.MethodDelete, path, nil, nil)
	})
}
