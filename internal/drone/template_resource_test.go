package drone_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/galaxias/terraform-provider-galaxias/internal/testing/acctest"
)

// fakeDrone2 is an httptest server with the routes of Drone 2's templates
// API (/api/templates/{namespace}[/{name}]) and the token check of /api/user.
// The local stack runs Drone 1.10, which has no templates.
type fakeDrone2 struct {
	*httptest.Server
	mu        sync.Mutex
	templates map[string]string // "ns/name" -> data
	calls     []string          // "METHOD path"
}

type fakeTemplate struct {
	ID        int64  `json:"id,omitempty"`
	Name      string `json:"name,omitempty"`
	Namespace string `json:"namespace,omitempty"`
	Data      string `json:"data,omitempty"`
}

func newFakeDrone2(t *testing.T) *fakeDrone2 {
	f := &fakeDrone2{templates: map[string]string{}}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeDrone2) put(key, data string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.templates[key] = data
}

func (f *fakeDrone2) get(key string) (string, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	d, ok := f.templates[key]
	return d, ok
}

func (f *fakeDrone2) requests() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.calls...)
}

func (f *fakeDrone2) del(key string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.templates, key)
}

func (f *fakeDrone2) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, r.Method+" "+r.URL.Path)
	reply := func(status int, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(v)
	}
	fail := func(status int, msg string) { reply(status, map[string]string{"message": msg}) }
	if r.Header.Get("Authorization") != "Bearer t2" {
		fail(http.StatusUnauthorized, "Unauthorized")
		return
	}
	segs := strings.Split(strings.TrimPrefix(r.URL.Path, "/"), "/")
	switch {
	case r.URL.Path == "/version":
		reply(200, map[string]string{"version": "2.20.0"})
	case r.URL.Path == "/api/user":
		reply(200, map[string]any{"login": "octocat", "admin": true, "active": true})
	case len(segs) == 3 && segs[0] == "api" && segs[1] == "templates":
		ns := segs[2]
		switch r.Method {
		case http.MethodGet:
			list := []fakeTemplate{}
			for k, d := range f.templates {
				if n, name, _ := strings.Cut(k, "/"); n == ns {
					list = append(list, fakeTemplate{Name: name, Namespace: ns, Data: d})
				}
			}
			reply(200, list)
		case http.MethodPost:
			var in fakeTemplate
			if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
				fail(400, err.Error())
				return
			}
			if in.Name == "" {
				fail(400, "No Template Name Provided")
				return
			}
			if in.Data == "" {
				fail(400, "No Template Data Provided")
				return
			}
			if _, ok := f.templates[ns+"/"+in.Name]; ok {
				fail(500, "UNIQUE constraint failed: templates.template_name")
				return
			}
			f.templates[ns+"/"+in.Name] = in.Data
			reply(200, fakeTemplate{ID: 1, Name: in.Name, Namespace: ns, Data: in.Data})
		default:
			fail(405, "method not allowed")
		}
	case len(segs) == 4 && segs[0] == "api" && segs[1] == "templates":
		key := segs[2] + "/" + segs[3]
		data, ok := f.templates[key]
		if !ok {
			fail(404, "sql: no rows in result set")
			return
		}
		switch r.Method {
		case http.MethodGet:
			reply(200, fakeTemplate{ID: 1, Name: segs[3], Namespace: segs[2], Data: data})
		case http.MethodPatch:
			var in struct {
				Data *string `json:"data"`
			}
			if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
				fail(400, err.Error())
				return
			}
			if in.Data != nil {
				f.templates[key] = *in.Data
			}
			reply(200, fakeTemplate{ID: 1, Name: segs[3], Namespace: segs[2], Data: f.templates[key]})
		case http.MethodDelete:
			delete(f.templates, key)
			w.WriteHeader(http.StatusNoContent)
		default:
			fail(405, "method not allowed")
		}
	default:
		http.NotFound(w, r)
	}
}

func templateConfig(server, name, data string) string {
	return fmt.Sprintf(`
provider "drone" {
  server = %q
  token  = "t2"
}
resource "drone_template" "t" {
  namespace = "acme"
  name      = %q
  data      = %q
}
`, server, name, data)
}

func checkTemplate(f *fakeDrone2, key, want string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		got, ok := f.get(key)
		if !ok {
			return fmt.Errorf("template %s not on the server", key)
		}
		if got != want {
			return fmt.Errorf("template %s has data %q, want %q", key, got, want)
		}
		return nil
	}
}

func TestTemplate_lifecycle(t *testing.T) {
	f := newFakeDrone2(t)
	addr := "drone_template.t"
	v1 := "kind: pipeline\nsteps:\n- name: build\n  image: golang\n"
	v2 := v1 + "- name: test\n  image: golang\n"
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			for _, k := range []string{"acme/go.yaml", "acme/go.jsonnet"} {
				if _, ok := f.get(k); ok {
					return fmt.Errorf("template %s still there after destroy", k)
				}
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: templateConfig(f.URL, "go.yaml", v1),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact("acme/go.yaml")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("namespace"), knownvalue.StringExact("acme")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("data"), knownvalue.StringExact(v1)),
				},
				Check: checkTemplate(f, "acme/go.yaml", v1),
			},
			{ // new data: in place
				Config: templateConfig(f.URL, "go.yaml", v2),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				Check: checkTemplate(f, "acme/go.yaml", v2),
			},
			{
				ResourceName:      addr,
				ImportState:       true,
				ImportStateId:     "acme/go.yaml",
				ImportStateVerify: true,
			},
			{ // changed outside Terraform: the plan restores it
				PreConfig: func() { f.put("acme/go.yaml", "edited in the UI") },
				Config:    templateConfig(f.URL, "go.yaml", v2),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				Check: checkTemplate(f, "acme/go.yaml", v2),
			},
			{ // deleted outside Terraform: re-created
				PreConfig: func() { f.del("acme/go.yaml") },
				Config:    templateConfig(f.URL, "go.yaml", v2),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
				}},
				Check: checkTemplate(f, "acme/go.yaml", v2),
			},
			{ // new name: replaced
				Config: templateConfig(f.URL, "go.jsonnet", "local x = 1; {}"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				Check: resource.ComposeTestCheckFunc(
					checkTemplate(f, "acme/go.jsonnet", "local x = 1; {}"),
					func(*terraform.State) error {
						if _, ok := f.get("acme/go.yaml"); ok {
							return fmt.Errorf("old template still there")
						}
						return nil
					},
				),
			},
		},
	})
}

// An imported template keeps its namespace: the next plan is empty, where
// mavimo/drone replaced it.
func TestTemplate_importThenPlan(t *testing.T) {
	f := newFakeDrone2(t)
	f.put("acme/lib.starlark", "def main(ctx): return {}")
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:             templateConfig(f.URL, "lib.starlark", "def main(ctx): return {}"),
				ResourceName:       "drone_template.t",
				ImportState:        true,
				ImportStateId:      "acme/lib.starlark",
				ImportStatePersist: true,
				ImportStateCheck: func(s []*terraform.InstanceState) error {
					if len(s) != 1 || s[0].Attributes["namespace"] != "acme" || s[0].Attributes["name"] != "lib.starlark" {
						return fmt.Errorf("imported state lacks namespace/name: %+v", s)
					}
					return nil
				},
			},
			{
				Config: templateConfig(f.URL, "lib.starlark", "def main(ctx): return {}"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
			},
		},
	})
}

// A server without the templates API (Drone 1.x) gives an error that says
// which version is needed, not a bare 404.
func TestTemplate_noTemplatesAPI(t *testing.T) {
	var posts int
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/user":
			_, _ = w.Write([]byte(`{"login":"octocat","admin":true,"active":true}`))
		case "/version":
			_, _ = w.Write([]byte(`{"source":"https://github.com/drone/drone.git","version":"1.10.1"}`))
		default:
			mu.Lock()
			if r.Method == http.MethodPost {
				posts++
			}
			mu.Unlock()
			http.NotFound(w, r) // chi's answer for an unknown route
		}
	}))
	defer srv.Close()
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      templateConfig(srv.URL, "go.yaml", "kind: pipeline"),
			ExpectError: regexp.MustCompile(`(?s)version 1\.10\.1.*no templates API.*Drone 2\.0 or\s+later`),
		}},
	})
	if posts != 1 {
		t.Errorf("want exactly one POST (no retry of a 404), got %d", posts)
	}
}

func TestTemplateDataSources(t *testing.T) {
	f := newFakeDrone2(t)
	f.put("acme/go.yaml", "kind: pipeline")
	f.put("acme/lib.starlark", "def main(ctx): return {}")
	f.put("other/x.json", "{}")
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
provider "drone" {
  server = %q
  token  = "t2"
}
data "drone_template" "go" {
  namespace = "acme"
  name      = "go.yaml"
}
data "drone_templates" "acme" {
  namespace = "acme"
}
`, f.URL),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.drone_template.go", tfjsonpath.New("id"), knownvalue.StringExact("acme/go.yaml")),
				statecheck.ExpectKnownValue("data.drone_template.go", tfjsonpath.New("data"), knownvalue.StringExact("kind: pipeline")),
				statecheck.ExpectKnownValue("data.drone_templates.acme", tfjsonpath.New("names"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.StringExact("go.yaml"), knownvalue.StringExact("lib.starlark"),
				})),
			},
		}},
	})
	for _, c := range f.requests() {
		if !strings.HasPrefix(c, "GET ") {
			t.Errorf("data sources wrote to Drone: %s", c)
		}
	}
}

// Against the stack's real Drone 1.10: the resource and the data sources say
// that templates need Drone 2.
func TestAccTemplate_drone1(t *testing.T) {
	acctest.PreCheck(t)
	ns := acctest.Env(t, "GITEA_USER")
	want := regexp.MustCompile(`(?s)version 1\.10\.1.*no templates API.*Drone 2\.0 or\s+later`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      fmt.Sprintf("resource \"drone_template\" \"t\" {\n  namespace = %q\n  name = \"go.yaml\"\n  data = \"kind: pipeline\"\n}", ns),
				ExpectError: want,
			},
			{
				Config:      fmt.Sprintf("data \"drone_templates\" \"t\" {\n  namespace = %q\n}", ns),
				ExpectError: want,
			},
			{
				Config:      fmt.Sprintf("data \"drone_template\" \"t\" {\n  namespace = %q\n  name = \"go.yaml\"\n}", ns),
				ExpectError: want,
			},
		},
	})
}
