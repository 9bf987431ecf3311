package galaxias_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/galaxias/terraform-provider-galaxias/internal/acctest"
)

// An endpoint that is not a Galaxias API (here a web server whose every
// path is a plain-text 404) is named as such, with the URL, instead of
// "wrong username or password".
func TestProvider_notGalaxias(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte("404 page not found"))
	}))
	defer srv.Close()
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
provider "galaxias" {
  endpoint    = %q
  username    = "admin"
  password    = "secret-pw"
  max_retries = 0
}`, srv.URL+"/galaxias") + rtProjectHCL("p"),
			PlanOnly: true,
			ExpectError: rtWords("The endpoint "+srv.URL+"/galaxias does not look like a Galaxias API",
				srv.URL+"/galaxias/v1/auth/login does not look like a Galaxias API", "404 page not found", "Check endpoint or GALAXIAS_ENDPOINT"),
		}},
	})
}
