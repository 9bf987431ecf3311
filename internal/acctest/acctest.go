// Package acctest holds what the acceptance tests of both families share:
// provider factories, access to the local stack started by `make stack-up`
// (cmd/stack), and helpers that look at server-side effects through the
// servers' own APIs.
package acctest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/galaxias/terraform-provider-galaxias/internal/drone"
	"github.com/galaxias/terraform-provider-galaxias/internal/drone/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias"
	"github.com/galaxias/terraform-provider-galaxias/internal/httpx"
	"github.com/galaxias/terraform-provider-galaxias/internal/provider/serve"
)

// ProviderFactories serves both families in-process under their local names,
// behind serve.ContextGuard as the binary does, but sweeping after every RPC:
// any use of an RPC's context after the RPC returned fails the tests.
var ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"drone":    guarded(drone.New("test")),
	"galaxias": guarded(galaxias.New("test")),
}

func guarded(p func() provider.Provider) func() (tfprotov6.ProviderServer, error) {
	return func() (tfprotov6.ProviderServer, error) {
		return serve.ContextGuard(providerserver.NewProtocol6(p())(), 1), nil
	}
}

// Env returns a variable written by the stack launcher to .stack/env. An
// acceptance test (TF_ACC set) fails, never skips, when it is missing.
func Env(t testing.TB, name string) string {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		t.Fatalf("%s is not set: start the local stack (make stack-up) and `source .stack/env`, or run make test", name)
	}
	return v
}

// PreCheck checks that the Drone part of the stack is configured.
func PreCheck(t *testing.T) {
	t.Helper()
	SkipUnlessAcc(t)
	for _, v := range []string{"DRONE_SERVER", "DRONE_TOKEN", "GITEA_URL", "GITEA_USER", "GITEA_TOKEN"} {
		Env(t, v)
	}
}

// SkipUnlessAcc skips a test that needs the stack unless TF_ACC is set, as
// terraform-plugin-testing does. `make test` always sets it.
func SkipUnlessAcc(t *testing.T) {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 and start the stack (make testacc does both)")
	}
}

// Name returns a unique lowercase name with a prefix, for repos and secrets.
func Name(prefix string) string {
	return fmt.Sprintf("%s-%d-%04d", prefix, time.Now().Unix()%100000, rand.IntN(10000))
}

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

// Gitea is the SCM of the stack.
type Gitea struct {
	URL, User, Token string
}

// GiteaAdmin returns the stack's Gitea admin.
func GiteaAdmin(t testing.TB) Gitea {
	return Gitea{URL: Env(t, "GITEA_URL"), User: Env(t, "GITEA_USER"), Token: Env(t, "GITEA_TOKEN")}
}

// Do calls the Gitea API and decodes the answer into out; it fails the test
// on a status other than want.
func (g Gitea) Do(t testing.TB, method, path string, in, out any, want int) {
	t.Helper()
	var body io.Reader
	if in != nil {
		b, _ := json.Marshal(in)
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(context.Background(), method, strings.TrimRight(g.URL, "/")+"/api/v1"+path, body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "token "+g.Token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("gitea %s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("gitea %s %s: got %d, want %d: %s", method, path, resp.StatusCode, want, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("gitea %s %s: decoding %s: %v", method, path, b, err)
		}
	}
}

// CreateRepo creates a repository with an initial commit, owned by the
// token's user, and deletes it when the test ends. It returns owner/name.
func (g Gitea) CreateRepo(t testing.TB, name string) string {
	t.Helper()
	g.Do(t, http.MethodPost, "/user/repos", map[string]any{"name": name, "auto_init": true, "default_branch": "main"}, nil, http.StatusCreated)
	t.Cleanup(func() {
		g.Do(t, http.MethodDelete, "/repos/"+g.User+"/"+name, nil, nil, http.StatusNoContent)
	})
	return g.User + "/" + name
}

// Hook is a Gitea webhook.
type Hook struct {
	ID     int64             `json:"id"`
	Active bool              `json:"active"`
	Config map[string]string `json:"config"`
}

// Hooks lists a repository's webhooks.
func (g Gitea) Hooks(t testing.TB, slug string) []Hook {
	t.Helper()
	var hooks []Hook
	g.Do(t, http.MethodGet, "/repos/"+slug+"/hooks", nil, &hooks, http.StatusOK)
	return hooks
}
