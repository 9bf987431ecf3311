package drone_test

import (
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/galaxias/terraform-provider-galaxias/internal/testing/acctest"
)

func providerStep(server, token, want string) resource.TestStep {
	return resource.TestStep{
		Config: `
provider "drone" {
  server      = "` + server + `"
  token       = "` + token + `"
  max_retries = 0
}
resource "drone_repo" "r" {
  repository = "o/r"
}`,
		PlanOnly:    true,
		ExpectError: regexp.MustCompile(want),
	}
}

func TestProvider_configureErrors(t *testing.T) {
	unauthorized := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/user" || r.Header.Get("Authorization") != "Bearer wrong-token" {
			t.Errorf("unexpected request %s %s", r.Method, r.URL.Path)
		}
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"message":"Unauthorized"}`))
	}))
	defer unauthorized.Close()

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + l.Addr().String()
	_ = l.Close()

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			providerStep(unauthorized.URL, "wrong-token", `rejected the token \(401 Unauthorized\)`),
			providerStep(closed, "t", `(?s)unreachable.*connection refused`),
			providerStep("ftp://x", "t", `server must be an absolute http`),
		},
	})
}

// A server address that is known only after apply must not fail the plan.
func TestProvider_unknownServerAtPlan(t *testing.T) {
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: `
resource "terraform_data" "srv" {
  input = "http://127.0.0.1:1"
}
provider "drone" {
  server = terraform_data.srv.output
  token  = "t"
}
resource "drone_secret" "s" {
  repository = "o/r"
  name       = "n"
  value      = "v"
}`,
			PlanOnly:           true,
			ExpectNonEmptyPlan: true,
		}},
	})
}
