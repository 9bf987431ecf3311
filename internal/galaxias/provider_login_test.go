package galaxias_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/galaxias/terraform-provider-galaxias/internal/testing/acctest"
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

// A run whose token other sessions of its user keep replacing says so,
// not "wrong username or password".
func TestProvider_loggedOutByOtherSessions(t *testing.T) {
	var logins atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		if r.URL.Path == "/v1/auth/login" {
			http.SetCookie(w, &http.Cookie{Name: "token", Value: fmt.Sprintf("tok-%d", logins.Add(1))})
			_, _ = w.Write([]byte(`{"id": 2, "name": "ci", "role_id": 1, "role_name": "admin"}`))
			return
		}
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`"User info is malformed, please login again"`))
	}))
	defer srv.Close()
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
provider "galaxias" {
  endpoint    = %q
  username    = "ci"
  password    = "secret-pw"
  max_retries = 0
}`, srv.URL) + rtProjectHCL("p"),
			PlanOnly:    true,
			ExpectError: rtWords("kept logging this run out", "another session of that user logged in each time", "a token, or a dedicated user"),
		}},
	})
}
