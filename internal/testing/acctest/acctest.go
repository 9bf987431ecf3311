// Package acctest holds what the acceptance tests of both families share:
// provider factories, access to the local stack started by `make stack-up`
// (cmd/stack), and helpers that look at server-side effects through the
// servers' own APIs.
package acctest

import (
	"fmt"
	"math/rand/v2"
	"os"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/galaxias/terraform-provider-galaxias/internal/drone"
	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias"
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
