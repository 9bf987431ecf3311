// Package refservertest runs the reference Galaxias server (package
// refserver) in-process for tests, on an httptest server with a fake
// Kubernetes API beside it. It is kept apart from refserver so that the
// server itself, which cmd/galaxias-server runs, imports neither testing nor
// net/http/httptest.
package refservertest

import (
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/galaxias/terraform-provider-galaxias/internal/testing/fakek8s"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/refserver"
)

// Credentials of the admin that Start creates when none are given.
const (
	AdminName     = "admin"
	AdminPassword = "admin-password"
)

// Started is a refserver.Server running on an httptest server.
type Started struct {
	*refserver.Server
	URL string
	// Stop closes the HTTP server and then the Server (also done by cleanup).
	Stop func()
	// Kube is a fake Kubernetes API started alongside, and Kubeconfig a
	// kubeconfig for it: the rock dialect accepts a cluster only when its
	// kubeconfig reaches an API server.
	Kube       *fakek8s.Server
	Kubeconfig string
}

// Start runs a refserver.Server on 127.0.0.1 through httptest and closes it
// when the test ends. An empty DataDir gets a fresh temporary directory;
// empty admin credentials default to AdminName / AdminPassword.
func Start(tb testing.TB, opts refserver.Options) *Started {
	tb.Helper()
	if opts.DataDir == "" {
		opts.DataDir = tb.TempDir()
	}
	if opts.AdminName == "" {
		opts.AdminName, opts.AdminPassword = AdminName, AdminPassword
	}
	s, err := refserver.New(opts)
	if err != nil {
		tb.Fatalf("refserver: %v", err)
	}
	hs := httptest.NewServer(s)
	kube := fakek8s.New("") // on plain http client-go sends no token
	ks := httptest.NewServer(kube)
	var once sync.Once
	st := &Started{Server: s, URL: hs.URL, Kube: kube, Kubeconfig: fakek8s.Kubeconfig(ks.URL, "fake-kube-token")}
	st.Stop = func() {
		once.Do(func() {
			hs.CloseClientConnections()
			hs.Close()
			ks.Close()
			_ = s.Close()
		})
	}
	tb.Cleanup(st.Stop)
	return st
}
