package acctest

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/httpx"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/chartrepo"
)

// The Galaxias dialects a test can run against: the project's contract
// (the reference server's default) and the public re-implementation
// (galaxias-server -dialect rock). `make testacc` runs the galaxias tests
// once against each, with GALAXIAS_DIALECT=rock in the second run.
const (
	dialectContract = "contract"
	DialectRock     = "rock"
)

// PreCheckGalaxias checks that the Galaxias reference server of the stack is configured.
func PreCheckGalaxias(t *testing.T) {
	t.Helper()
	SkipUnlessAcc(t)
	for _, v := range []string{"GALAXIAS_ENDPOINT", "GALAXIAS_TOKEN"} {
		Env(t, v)
	}
	dialect(t)
}

var dialectCheck struct {
	sync.Mutex
	checked map[string]string // endpoint -> dialect the server showed
}

// dialect tells which dialect GALAXIAS_ENDPOINT speaks: GALAXIAS_DIALECT
// (unset: the contract), checked once per endpoint against the server's
// own answer — GET /health is JSON on the contract and plain text "ok" on
// the re-implementation — so that a mismatched environment fails instead
// of testing the wrong expectations.
func dialect(t testing.TB) string {
	t.Helper()
	want := os.Getenv("GALAXIAS_DIALECT")
	if want == "" {
		want = dialectContract
	}
	if want != dialectContract && want != DialectRock {
		t.Fatalf("GALAXIAS_DIALECT=%q: want %q or %q (unset)", want, dialectContract, DialectRock)
	}
	endpoint := Env(t, "GALAXIAS_ENDPOINT")
	dialectCheck.Lock()
	defer dialectCheck.Unlock()
	got, ok := dialectCheck.checked[endpoint]
	if !ok {
		var err error
		if got, err = probeDialect(endpoint); err != nil {
			t.Fatalf("telling the dialect of %s: %v", endpoint, err)
		}
		if dialectCheck.checked == nil {
			dialectCheck.checked = map[string]string{}
		}
		dialectCheck.checked[endpoint] = got
	}
	if got != want {
		t.Fatalf("GALAXIAS_ENDPOINT %s answers like the %s dialect, but GALAXIAS_DIALECT says %s", endpoint, got, want)
	}
	return want
}

// probeDialect asks GET /health: the contract answers a JSON object, the
// re-implementation the plain text "ok".
func probeDialect(endpoint string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(endpoint, "/")+"/health", nil)
	if err != nil {
		return "", err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("GET /health: %d %s", resp.StatusCode, b)
	}
	if strings.HasPrefix(strings.TrimSpace(string(b)), "{") {
		return dialectContract, nil
	}
	return DialectRock, nil
}

// IsRock reports whether the tests run against the rock dialect.
func IsRock(t testing.TB) bool { return dialect(t) == DialectRock }

// SkipOnRock skips a test, or a part of one, that checks behaviour only the
// contract dialect has; why names that behaviour, and the skip says so.
func SkipOnRock(t *testing.T, why string) {
	t.Helper()
	if IsRock(t) {
		t.Skipf("not on the rock dialect (the public re-implementation): %s", why)
	}
}

// Galaxias returns an admin client of the stack's reference server, for
// out-of-band changes and server-side checks. It speaks the dialect of the
// server, like the provider.
func Galaxias(t testing.TB) *client.Client {
	t.Helper()
	return galaxiasAt(t, Env(t, "GALAXIAS_ENDPOINT"), Env(t, "GALAXIAS_TOKEN"))
}

// galaxiasAt returns a client of any Galaxias server, with a token.
func galaxiasAt(t testing.TB, endpoint, token string) *client.Client {
	t.Helper()
	hc, err := httpx.New(httpx.Options{Subsystem: "acctest", MaxRetries: 2, Permanent: client.PermanentAnswer})
	if err != nil {
		t.Fatal(err)
	}
	c, err := client.New(client.Options{BaseURL: endpoint, Token: token, HTTPClient: hc})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Kubeconfig returns a kubeconfig that the stack's Galaxias server accepts
// for a cluster (KubeconfigFor); on the rock dialect GALAXIAS_KUBECONFIG
// must be set.
func Kubeconfig(t testing.TB, marker string) string {
	t.Helper()
	if os.Getenv("GALAXIAS_KUBECONFIG") == "" && IsRock(t) {
		t.Fatal("GALAXIAS_KUBECONFIG is not set: the rock dialect accepts a cluster only with a kubeconfig " +
			"that reaches a Kubernetes API (make testacc sets it)")
	}
	return KubeconfigFor(marker)
}

// KubeconfigFor returns GALAXIAS_KUBECONFIG (it reaches the stack's fake
// Kubernetes API, which the re-implementation calls to check a cluster),
// with marker in a comment, so that tests can look for it in plans and
// state and tell two kubeconfigs apart. Without GALAXIAS_KUBECONFIG it is a
// kubeconfig for an address that does not exist, which only servers that
// never contact a cluster (the contract dialect) accept.
func KubeconfigFor(marker string) string {
	base := os.Getenv("GALAXIAS_KUBECONFIG")
	if base == "" {
		base = `apiVersion: v1
kind: Config
clusters:
  - name: k
    cluster:
      server: https://kubernetes.invalid:6443
users:
  - name: u
    user:
      token: not-a-real-token
contexts:
  - name: c
    context: {cluster: k, user: u}
current-context: c
`
	}
	return strings.TrimRight(base, "\n") + "\n# " + marker + "\n"
}

// chartRepo returns a client of the stack's chart repository
// (GALAXIAS_CHART_REPO, ChartMuseum's API), where pipelines push charts and
// both dialects read them.
func chartRepo(t testing.TB) *chartrepo.Client {
	t.Helper()
	return &chartrepo.Client{BaseURL: strings.TrimRight(Env(t, "GALAXIAS_CHART_REPO"), "/")}
}

// PushChart pushes a chart archive to the stack's chart repository, as a
// pipeline does, and deletes it when the test ends.
func PushChart(t testing.TB, name, version string, archive []byte) {
	t.Helper()
	repo := chartRepo(t)
	if err := repo.Upload(context.Background(), archive); err != nil {
		t.Fatalf("push chart %s %s: %v", name, version, err)
	}
	t.Cleanup(func() {
		if err := repo.Delete(context.Background(), name, version); err != nil && chartrepo.StatusOf(err) != http.StatusNotFound {
			t.Errorf("delete chart %s %s: %v", name, version, err)
		}
	})
}

// ConfigGone reports whether an app has no values for a project-env: none
// (404), or values that hold nothing (what a server without a safe delete
// route keeps after the provider removed them).
func ConfigGone(ctx context.Context, api *client.Client, appID, peID int64) (bool, error) {
	c, err := api.GetAppConfig(ctx, appID, peID)
	if client.IsNotFound(err) {
		return true, nil
	}
	if err != nil {
		return false, err
	}
	return client.IsEmptiedConfig(c.Config), nil
}
