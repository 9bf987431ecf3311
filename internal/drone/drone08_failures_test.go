package drone_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/galaxias/terraform-provider-galaxias/internal/drone"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/acctest"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/drone08"
)

// The failure modes of a Drone the provider does not expect, whatever the
// server: each was seen against a real Drone 0.8.10 with the provider as of
// commit ebde772, and each of these tests fails there.

// htmlServer is a Drone 1.10 whose every route but the token check and the
// version is answered by an HTML page with status 200, as a Drone 0.8 (or a
// proxy) does for a route it does not have.
type htmlServer struct {
	*httptest.Server
	mu    sync.Mutex
	calls []string
}

func newHTMLServer(t *testing.T) *htmlServer {
	return newFixedServer(t, "text/html; charset=utf-8", drone08.IndexPage)
}

// newFixedServer is a Drone 1.10 that answers every route but the token
// check and the version with status 200 and body.
func newFixedServer(t *testing.T, contentType, body string) *htmlServer {
	h := &htmlServer{}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.mu.Lock()
		h.calls = append(h.calls, r.Method+" "+r.URL.Path)
		h.mu.Unlock()
		switch r.URL.Path {
		case "/api/user":
			_, _ = w.Write([]byte(`{"login":"octocat","admin":true,"active":true}`))
		case "/version":
			_, _ = w.Write([]byte(`{"version":"1.10.1"}`))
		default:
			w.Header().Set("Content-Type", contentType)
			_, _ = w.Write([]byte(body))
		}
	}))
	t.Cleanup(h.Close)
	return h
}

// A 2xx answer that is not the API's JSON is a clear error that says the
// endpoint does not exist: never an unknown outcome, never a tainted
// instance, and the next plan works.
func TestUnexpectedAnswer_noTaint(t *testing.T) {
	t.Parallel()
	h := newHTMLServer(t)
	prov := fmt.Sprintf("provider \"drone\" {\n  server = %q\n  token  = \"t\"\n}\n", h.URL)
	for _, block := range []string{
		"resource \"drone_orgsecret\" \"x\" {\n  namespace = \"octocat\"\n  name = \"registry\"\n  value = \"s3cret\"\n}\n",
		"resource \"drone_cron\" \"x\" {\n  repository = \"octocat/hello\"\n  name = \"nightly\"\n  expr = \"@daily\"\n  branch = \"main\"\n}\n",
		"resource \"drone_secret\" \"x\" {\n  repository = \"octocat/hello\"\n  name = \"n\"\n  value = \"v\"\n}\n",
		"resource \"drone_user\" \"x\" {\n  login = \"robot\"\n}\n",
		"resource \"drone_repo\" \"x\" {\n  repository = \"octocat/hello\"\n}\n",
		"data \"drone_orgsecrets\" \"x\" {\n  namespace = \"octocat\"\n}\n",
		"data \"drone_crons\" \"x\" {\n  repository = \"octocat/hello\"\n}\n",
		"resource \"drone_template\" \"x\" {\n  namespace = \"octocat\"\n  name = \"base.yaml\"\n  data = \"kind: pipeline\"\n}\n",
		"data \"drone_template\" \"x\" {\n  namespace = \"octocat\"\n  name = \"base.yaml\"\n}\n",
		"data \"drone_templates\" \"x\" {\n  namespace = \"octocat\"\n}\n",
		"data \"drone_cron\" \"x\" {\n  repository = \"octocat/hello\"\n  name = \"nightly\"\n}\n",
	} {
		t.Run(strings.Fields(block)[0]+"."+strings.Trim(strings.Fields(block)[1], `"`), func(t *testing.T) {
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProviderFactories,
				Steps: []resource.TestStep{
					{
						Config: prov + block,
						ExpectError: words("Drone 1.10.1 answered", "with 200 (text/html; charset=utf-8) and an HTML page, not the JSON of the Drone API",
							"this server has no such endpoint"),
					},
					{Config: prov, Check: emptyState},
				},
			})
		})
	}
}

// An answer without the field that identifies the object (here: Drone
// 0.8's repositories, read with the 1.x dialect) is an error that names
// the server's version, never "inconsistent result", never state with an
// empty id.
func TestMissingIdentity_isAnError(t *testing.T) {
	t.Parallel()
	f := fake08(t)
	do08(t, f, "GET", "/api/user/repos?flush=true", nil, nil)
	do08(t, f, "POST", "/api/repos/octocat/hello", nil, nil)
	cfg := provider08(f, "  api_version = \"1\"\n") + "data \"drone_repo\" \"r\" {\n  repository = \"octocat/hello\"\n}\n"
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      cfg,
			ExpectError: words(`Drone 0.8.9 answered GET /api/repos/octocat/hello without "slug"`, `api_version`),
		}},
	})
}

// A create answered 2xx with JSON that lacks the field identifying the
// object (a server of another API dialect, or something in between) is
// a definite failure: the error names the field and the server's version,
// nothing is kept in state, and the next plan (whose refresh would meet
// the same answers) plans a create, not the replacement of a tainted
// instance that every refresh fails to read.
func TestMissingIdentity_createKeepsNothing(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ typ, body, answered, field string }{
		{"drone_orgsecret", "  namespace = \"octocat\"\n  name = \"registry\"\n  value = \"s3cret\"\n",
			"POST /api/secrets/octocat", "name"},
		{"drone_secret", "  repository = \"octocat/hello\"\n  name = \"n\"\n  value = \"v\"\n",
			"POST /api/repos/octocat/hello/secrets", "name"},
		{"drone_cron", "  repository = \"octocat/hello\"\n  name = \"nightly\"\n  expr = \"@daily\"\n  branch = \"main\"\n",
			"POST /api/repos/octocat/hello/cron", "name"},
		{"drone_template", "  namespace = \"octocat\"\n  name = \"base.yaml\"\n  data = \"kind: pipeline\"\n",
			"POST /api/templates/octocat", "name"},
		{"drone_user", "  login = \"robot\"\n", "POST /api/users", "login"},
	} {
		t.Run(tc.typ, func(t *testing.T) {
			t.Parallel()
			h := newFixedServer(t, "application/json", `{}`)
			cfg := fmt.Sprintf("provider \"drone\" {\n  server = %q\n  token  = \"t\"\n}\n", h.URL) +
				"resource \"" + tc.typ + "\" \"x\" {\n" + tc.body + "}\n"
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProviderFactories,
				Steps: []resource.TestStep{
					{
						Config:      cfg,
						ExpectError: words("Drone 1.10.1 answered "+tc.answered+` without "`+tc.field+`"`, "api_version"),
					},
					{
						Config: cfg, PlanOnly: true, ExpectNonEmptyPlan: true,
						ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(tc.typ+".x", plancheck.ResourceActionCreate),
						}},
					},
				},
			})
		})
	}
}

// stateFixture writes a configuration and a state file (left by an older
// provider) into a directory, and returns a terraform CLI for it.
func stateFixture(t *testing.T, config, state string) *acctest.TerraformCLI {
	dir := t.TempDir()
	header := "terraform {\n  required_providers {\n    drone = { source = \"galaxias/drone\" }\n  }\n}\n"
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(header+config), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "terraform.tfstate"), []byte(state), 0o600); err != nil {
		t.Fatal(err)
	}
	tf := acctest.NewTerraformCLI(t, dir, "registry.terraform.io/galaxias/drone", providerserver.NewProtocol6(drone.New("test")()))
	tf.Run(t, []int{0}, "init", "-input=false", "-no-color")
	return tf
}

// stateOf is a state file with one resource instance.
func stateOf(typ, status, attributes string) string {
	return fmt.Sprintf(`{
  "version": 4, "terraform_version": "1.11.4", "serial": 3, "lineage": "8b1b6c1e-1111-4c3a-9d55-0123456789ab",
  "outputs": {},
  "resources": [{
    "mode": "managed", "type": %q, "name": "r",
    "provider": "provider[\"registry.terraform.io/galaxias/drone\"]",
    "instances": [{"status": %q, "schema_version": 0, "attributes": %s, "sensitive_attributes": []}]
  }]
}`, typ, status, attributes)
}

// The state ebde772 left after a drone_repo apply on Drone 0.8: a tainted
// instance with an empty id and repository. It is removed on refresh (no
// request with an empty path segment), and the next apply converges.
func TestEmptyIDState_removedOnRefresh(t *testing.T) {
	t.Parallel()
	f := fake08(t)
	tf := stateFixture(t, provider08(f, "")+"resource \"drone_repo\" \"r\" {\n  repository = \"octocat/hello\"\n}\n",
		stateOf("drone_repo", "tainted", `{"id": "", "repository": "", "configuration": "", "trusted": false, "protected": false,
  "visibility": "", "timeout": 0, "active": false, "remove_on_destroy": false}`))
	out, code := tf.Run(t, []int{0, 2}, "plan", "-input=false", "-no-color", "-detailed-exitcode")
	if code != 2 || !strings.Contains(out, "drone_repo.r will be created") {
		t.Fatalf("want a plan that creates drone_repo.r, got exit %d:\n%s", code, out)
	}
	for _, c := range f.Calls() {
		if strings.Contains(c, "//") || strings.HasSuffix(c, "/") {
			t.Errorf("a request with an empty path segment: %s", c)
		}
	}
	tf.Run(t, []int{0}, "apply", "-input=false", "-no-color", "-auto-approve")
	tf.Run(t, []int{0}, "plan", "-input=false", "-no-color", "-detailed-exitcode")
	if r, _ := f.Repository("octocat/hello"); !r.Active {
		t.Error("octocat/hello is not active after the apply")
	}
}

// The states ebde772 left after a drone_cron, drone_orgsecret or
// drone_template apply on Drone 0.8 (an HTML answer taken for an unknown
// outcome): a tainted instance. The refresh drops it, since 0.8 cannot have
// one, instead of failing on every plan.
func TestUnsupportedState_removedOnRefresh(t *testing.T) {
	t.Parallel()
	for typ, attributes := range map[string]string{
		"drone_cron": `{"id": "octocat/hello/nightly", "repository": "octocat/hello", "name": "nightly",
  "expr": "@daily", "event": "push", "branch": "main", "target": "", "disabled": false}`,
		"drone_orgsecret": `{"id": "octocat/registry", "namespace": "octocat", "name": "registry", "value": "s3cret",
  "value_wo": null, "value_wo_version": null, "allow_on_pull_request": false, "allow_push_on_pull_request": false}`,
		"drone_template": `{"id": "octocat/base.yaml", "namespace": "octocat", "name": "base.yaml", "data": "kind: pipeline"}`,
	} {
		t.Run(typ, func(t *testing.T) {
			t.Parallel()
			f := fake08(t)
			tf := stateFixture(t, provider08(f, ""), stateOf(typ, "tainted", attributes))
			out, _ := tf.Run(t, []int{0}, "apply", "-input=false", "-no-color", "-auto-approve")
			if !strings.Contains(out, "removed from state") {
				t.Errorf("the apply does not say that %s was removed from state:\n%s", typ, out)
			}
			if out, _ := tf.Run(t, []int{0}, "state", "list"); strings.TrimSpace(out) != "" {
				t.Errorf("state after the apply:\n%s", out)
			}
			if w := f.Writes(); len(w) != 0 {
				t.Errorf("the provider wrote to Drone: %v", w)
			}
		})
	}
}

// A cron job without branch looks the repository's default branch up
// first; when that lookup fails (here: the connection drops), nothing was
// created, so nothing is recorded.
func TestCronDefaultBranch_lookupFails(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var posts int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/api/user":
			_, _ = w.Write([]byte(`{"login":"octocat","admin":true,"active":true}`))
		case r.URL.Path == "/version":
			_, _ = w.Write([]byte(`{"version":"1.10.1"}`))
		case r.Method == http.MethodGet && r.URL.Path == "/api/repos/octocat/hello":
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				_ = conn.Close()
			}
		default:
			mu.Lock()
			posts++
			mu.Unlock()
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	prov := fmt.Sprintf("provider \"drone\" {\n  server = %q\n  token = \"t\"\n  max_retries = 0\n}\n", srv.URL)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      prov + "resource \"drone_cron\" \"c\" {\n  repository = \"octocat/hello\"\n  name = \"nightly\"\n  expr = \"@daily\"\n}\n",
				ExpectError: words("finding the default branch of octocat/hello (branch is not set)"),
			},
			{Config: prov, Check: emptyState},
		},
	})
	mu.Lock()
	defer mu.Unlock()
	if posts != 0 {
		t.Errorf("%d other requests sent", posts)
	}
}

// A cron job without branch on a repository for which Drone reports no
// default branch: nothing was sent, so nothing is recorded, and the next
// plan creates the job (not the replacement of a tainted one).
func TestCronDefaultBranch_none(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var others []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/api/user":
			_, _ = w.Write([]byte(`{"login":"octocat","admin":true,"active":true}`))
		case r.URL.Path == "/version":
			_, _ = w.Write([]byte(`{"version":"1.10.1"}`))
		case r.Method == http.MethodGet && r.URL.Path == "/api/repos/octocat/hello":
			_, _ = w.Write([]byte(`{"slug":"octocat/hello","namespace":"octocat","name":"hello","default_branch":""}`))
		default:
			mu.Lock()
			others = append(others, r.Method+" "+r.URL.Path)
			mu.Unlock()
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	cfg := fmt.Sprintf("provider \"drone\" {\n  server = %q\n  token = \"t\"\n}\n", srv.URL) +
		"resource \"drone_cron\" \"c\" {\n  repository = \"octocat/hello\"\n  name = \"nightly\"\n  expr = \"@daily\"\n}\n"
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg, ExpectError: words("drone reports no default branch for octocat/hello: set branch")},
			{
				Config: cfg, PlanOnly: true, ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPreRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("drone_cron.c", plancheck.ResourceActionCreate),
				}},
			},
		},
	})
	mu.Lock()
	defer mu.Unlock()
	for _, c := range others {
		if strings.HasPrefix(c, "POST") || strings.HasPrefix(c, "PATCH") {
			t.Errorf("a write was sent: %s", c)
		}
	}
}
