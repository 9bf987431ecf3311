package drone_test

import (
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/galaxias/terraform-provider-galaxias/internal/testing/acctest"
)

// A Drone behind a self-signed certificate: refused by default with a
// clear error, accepted with ca_cert (inline or a file) or with
// insecure_skip_verify.
func TestProvider_TLS(t *testing.T) {
	var hits int
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits++
		if r.URL.Path != "/api/user" {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write([]byte(`{"id":1,"login":"admin","admin":true,"active":true}`))
	}))
	defer srv.Close()
	caPEM := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}))
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, []byte(caPEM), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := func(tls string) string {
		return `
provider "drone" {
  server = "` + srv.URL + `"
  token  = "t"
` + tls + `
}
resource "drone_repo" "r" {
  repository = "o/r"
}`
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg(""), PlanOnly: true, ExpectError: regexp.MustCompile(`(?s)certificate.*not trusted.*ca_cert`)},
			{Config: cfg("ca_cert = <<EOT\n" + caPEM + "EOT"), PlanOnly: true, ExpectNonEmptyPlan: true},
			{Config: cfg(`ca_cert = "` + caFile + `"`), PlanOnly: true, ExpectNonEmptyPlan: true},
			{Config: cfg(`insecure_skip_verify = true`), PlanOnly: true, ExpectNonEmptyPlan: true},
			{Config: cfg(`ca_cert = "/nonexistent/ca.pem"`), PlanOnly: true, ExpectError: regexp.MustCompile(`reading ca_cert file`)},
		},
	})
	if hits < 3 {
		t.Errorf("the trusted configurations did not reach the server (%d requests)", hits)
	}
}
