package reliability_test

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/refserver"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/refserver/refservertest"
)

// galaxiasServer is an in-process reference server of the test's own (its
// fault and async switches disturb nobody else), wrapped to count what its
// fault switches did.
type galaxiasServer struct {
	URL   string
	Token string
	API   *client.Client

	mu       sync.Mutex
	statuses map[string]int // "500", "503", "429", "dropped"
	requests int
}

func startGalaxias(t *testing.T, opts refserver.Options) *galaxiasServer {
	t.Helper()
	opts.DataDir = t.TempDir()
	opts.AdminName, opts.AdminPassword = refservertest.AdminName, refservertest.AdminPassword
	s, err := refserver.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	gs := &galaxiasServer{statuses: map[string]int{}}
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cw := &countingWriter{ResponseWriter: w, gs: gs}
		if !strings.HasPrefix(r.URL.Path, "/v1/_test/") {
			gs.mu.Lock()
			gs.requests++
			gs.mu.Unlock()
		}
		s.ServeHTTP(cw, r)
	}))
	t.Cleanup(func() {
		hs.CloseClientConnections()
		hs.Close()
		_ = s.Close()
	})
	gs.URL = hs.URL
	// One login; the provider and the test's own checks share its token (a
	// new login of the same user would invalidate it).
	login, err := client.New(client.Options{BaseURL: hs.URL, Username: opts.AdminName, Password: opts.AdminPassword})
	if err != nil {
		t.Fatal(err)
	}
	res, err := login.LoginAs(context.Background(), opts.AdminName, opts.AdminPassword)
	if err != nil {
		t.Fatal(err)
	}
	gs.Token = res.Token
	if gs.API, err = client.New(client.Options{BaseURL: hs.URL, Token: gs.Token, PollInterval: 50 * time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	return gs
}

func (gs *galaxiasServer) summary() string {
	gs.mu.Lock()
	defer gs.mu.Unlock()
	var parts []string
	total := 0
	for k, n := range gs.statuses {
		parts = append(parts, fmt.Sprintf("%s=%d", k, n))
		total += n
	}
	sort.Strings(parts)
	return fmt.Sprintf("%d of %d requests failed by faults (%s)", total, gs.requests, strings.Join(parts, " "))
}

// countingWriter counts injected fault answers (the codes of section 10 of
// docs/galaxias-api.md) and dropped connections.
type countingWriter struct {
	http.ResponseWriter
	gs *galaxiasServer
}

func (w *countingWriter) WriteHeader(code int) {
	if code == http.StatusInternalServerError || code == http.StatusServiceUnavailable || code == http.StatusTooManyRequests {
		w.gs.mu.Lock()
		w.gs.statuses[fmt.Sprint(code)]++
		w.gs.mu.Unlock()
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *countingWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	w.gs.mu.Lock()
	w.gs.statuses["dropped"]++
	w.gs.mu.Unlock()
	return http.NewResponseController(w.ResponseWriter).Hijack()
}

func (w *countingWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
