package acctest

import (
	"testing"

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/httpx"
)

// PreCheckGalaxias checks that the Galaxias reference server of the stack is configured.
func PreCheckGalaxias(t *testing.T) {
	t.Helper()
	SkipUnlessAcc(t)
	for _, v := range []string{"GALAXIAS_ENDPOINT", "GALAXIAS_TOKEN"} {
		Env(t, v)
	}
}

// Galaxias returns an admin client of the stack's reference server, for
// out-of-band changes and server-side checks.
func Galaxias(t testing.TB) *client.Client {
	t.Helper()
	hc, err := httpx.New(httpx.Options{Subsystem: "acctest", MaxRetries: 2})
	if err != nil {
		t.Fatal(err)
	}
	c, err := client.New(client.Options{BaseURL: Env(t, "GALAXIAS_ENDPOINT"), Token: Env(t, "GALAXIAS_TOKEN"), HTTPClient: hc})
	if err != nil {
		t.Fatal(err)
	}
	return c
}
