package galaxias_test

import (
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/galaxias/terraform-provider-galaxias/internal/testing/acctest"
)

// A Galaxias behind a self-signed certificate: refused by default with a
// clear error, accepted with ca_cert or insecure_skip_verify.
func TestProvider_TLS(t *testing.T) {
	var checks int
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/projects" || r.Header.Get("Authorization") != "Bearer tok" {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(`{"error":"unauthorized","error_code":40100001}`))
			return
		}
		checks++
		_, _ = w.Write([]byte(`{"page":1,"per_page":1,"total":0,"pages":0,"items":[]}`))
	}))
	defer srv.Close()
	caPEM := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}))
	cfg := func(tls string) string {
		return `
provider "galaxias" {
  endpoint = "` + srv.URL + `"
  token    = "tok"
` + tls + `
}
resource "galaxias_project" "p" {
  name = "p"
}`
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg(""), PlanOnly: true, ExpectError: regexp.MustCompile(`(?s)certificate.*not trusted.*ca_cert`)},
			{Config: cfg("ca_cert = <<EOT\n" + caPEM + "EOT"), PlanOnly: true, ExpectNonEmptyPlan: true},
			{Config: cfg(`insecure_skip_verify = true`), PlanOnly: true, ExpectNonEmptyPlan: true},
			{Config: cfg(`ca_cert = "not a pem and not a file"`), PlanOnly: true, ExpectError: regexp.MustCompile(`ca_cert`)},
		},
	})
	if checks < 2 {
		t.Errorf("the trusted configurations did not check the token (%d checks)", checks)
	}
}
