package galaxias_test

// Rock-dialect tests of facts recorded from the re-implementation
// (/work/shared/reference/rock-transcripts): app configs of no values,
// description limits, project environments that cannot be deleted while an
// app config names them, and clusters whose API server does not answer.
// Each starts its own reference server (startRock).

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/acctest"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/fakek8s"
)

// app_configs 20-21: "{}" is a config the re-implementation accepts and
// answers as it is. Such a config imports (with values "{}"), and its plan
// is then empty; a config that the provider's destroy emptied does not
// exist for an import.
func TestAccRockLimits_appConfigEmptyImports(t *testing.T) {
	rs := startRock(t)
	p := rs.r.project("p", "")
	cl := rs.r.cluster("c")
	pe := rs.r.projectEnv(p.ID, rs.r.env(cl.ID, "ns", "").ID, "pe", "")
	a, gone := rs.r.app(client.AppInput{ProjectID: p.ID, Name: "a"}), rs.r.app(client.AppInput{ProjectID: p.ID, Name: "gone"})
	rs.r.config(a.ID, pe.ID, "{}")
	rs.r.config(gone.ID, pe.ID, "x: 1\n")
	if _, err := rs.r.api.RemoveAppConfig(rs.r.ctx, gone.ID, pe.ID); err != nil { // emptied, as a destroy does
		t.Fatal(err)
	}
	cfg := func(app int64) string {
		return rs.provider + fmt.Sprintf(`
import {
  to = galaxias_app_config.v
  id = "%d/%d"
}
resource "galaxias_app_config" "v" {
  app_id                 = %d
  project_environment_id = %d
  values                 = "{}"
}`, app, pe.ID, app, pe.ID)
	}
	addr := "galaxias_app_config.v"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg(gone.ID), PlanOnly: true, ExpectError: rtWords("Cannot import non-existent remote object")},
			{
				Config: cfg(a.ID),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("values"), knownvalue.StringExact("{}")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact(fmt.Sprintf("%d/%d", a.ID, pe.ID))),
				},
			},
			{ResourceName: addr, ImportState: true, ImportStateVerify: true, ImportStateId: fmt.Sprintf("%d/%d", a.ID, pe.ID)},
		},
	})
}

// projects 6-7, clusters 8, envs 9, apps 12 and 30, deployments 16: the
// re-implementation refuses descriptions longer than 100 characters (250
// for deployments) with a 500 that says nothing. Every resource with a
// description refuses a longer one at plan time, naming the attribute and
// its resource; nothing is sent. 100 characters are accepted.
func TestAccRockLimits_descriptionLength(t *testing.T) {
	rs := startRock(t)
	d, depCfg := rockDeployable(rs, "web", "replicaCount: 1\n", "1.0.0-master-aaaaaa")
	kc := rs.r.kubeconfig("limits")
	ok, long := strings.Repeat("d", 100), strings.Repeat("é", 101)
	cfg := func(desc map[string]string) string {
		get := func(addr string) string {
			if v, found := desc[addr]; found {
				return v
			}
			return "short"
		}
		return rs.provider + fmt.Sprintf(`
resource "galaxias_project" "p" {
  name        = "lim-p"
  description = %q
}
resource "galaxias_cluster" "c" {
  name        = "lim-c"
  description = %q
  config      = %q
}
resource "galaxias_environment" "e" {
  cluster_id  = galaxias_cluster.c.id
  namespace   = "lim-ns"
  description = %q
}
resource "galaxias_project_environment" "pe" {
  project_id     = galaxias_project.p.id
  environment_id = galaxias_environment.e.id
  description    = %q
}
resource "galaxias_app" "a" {
  project_id  = galaxias_project.p.id
  name        = "lim-a"
  description = %q
}`, get("galaxias_project.p"), get("galaxias_cluster.c"), kc, get("galaxias_environment.e"),
			get("galaxias_project_environment.pe"), get("galaxias_app.a"))
	}
	addrs := []string{"galaxias_project.p", "galaxias_cluster.c", "galaxias_environment.e",
		"galaxias_project_environment.pe", "galaxias_app.a"}
	var steps []resource.TestStep
	for _, addr := range addrs {
		steps = append(steps, resource.TestStep{Config: cfg(map[string]string{addr: long}), PlanOnly: true,
			ExpectError: rtWords("description is too long for this Galaxias server", "with "+addr+",",
				"`description` has 101 characters;", `(API dialect "rock") accepts at most 100`,
				"Shorten `description` to 100 characters or fewer.")})
	}
	all := map[string]string{}
	for _, addr := range addrs {
		all[addr] = ok
	}
	steps = append(steps, resource.TestStep{Config: cfg(all), Check: func(s *terraform.State) error {
		p := must[*client.Project](t)(rs.r.api.GetProject(rs.r.ctx, stateID(s, "galaxias_project.p")))
		a := must[*client.App](t)(rs.r.api.GetApp(rs.r.ctx, stateID(s, "galaxias_app.a")))
		if p.Description != ok || a.Description != ok {
			return fmt.Errorf("server has project %+v, app %+v", p, a)
		}
		return nil
	}}, resource.TestStep{ // an update is checked too
		Config: cfg(map[string]string{"galaxias_app.a": long}), ExpectError: rtWords(
			"description is too long for this Galaxias server", "with galaxias_app.a,"),
	})
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: acctest.ProviderFactories, Steps: steps})

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: depCfg("1.0.0-master-aaaaaa", fmt.Sprintf("  description = %q", strings.Repeat("d", 251))),
			ExpectError: rtWords("description is too long for this Galaxias server", "with galaxias_deployment.d,",
				"`description` has 251 characters;", "accepts at most 250"),
		}},
	})
	if deps := must[[]client.Deployment](t)(rs.r.api.ListDeployments(rs.r.ctx, client.DeploymentFilter{AppID: d.app.ID})); len(deps) != 0 {
		t.Errorf("deployments after the refused plan: %+v", deps)
	}
}

// project_envs 36, terraform-destroy 25-31: the re-implementation refuses
// to delete a project environment that an app config names, also one that
// the provider emptied. A change that would replace one (project_id,
// environment_id, or name, which that server cannot change in place) is an
// error at plan time that names the attribute, says why and what to do;
// nothing is sent, and the app config keeps its values. What the error
// advises then works: a new binding under another address, the app config
// moved to it, and the old one let go with a removed block.
func TestAccRockLimits_projectEnvReplaceRefused(t *testing.T) {
	rs := startRock(t)
	p, other := rs.r.project("p", ""), rs.r.project("other", "")
	cl := rs.r.cluster("c")
	e1, e2 := rs.r.env(cl.ID, "one", ""), rs.r.env(cl.ID, "two", "")
	a := rs.r.app(client.AppInput{ProjectID: p.ID, Name: "a"})
	const values = "replicaCount: 2\n"
	pe := func(project, env int64, name string) string {
		return fmt.Sprintf(`
resource "galaxias_project_environment" "pe" {
  project_id     = %d
  environment_id = %d
  name           = %q
}`, project, env, name)
	}
	config := func(peAddr string) string {
		return fmt.Sprintf(`
resource "galaxias_app_config" "v" {
  app_id                 = %d
  project_environment_id = %s.id
  values                 = %q
}`, a.ID, peAddr, values)
	}
	var peID int64
	kept := func(*terraform.State) error {
		got, err := rs.r.api.GetProjectEnv(rs.r.ctx, p.ID, peID)
		if err != nil || got.Name != "pe" || got.EnvID != e1.ID {
			return fmt.Errorf("project-env %d after the refused change: %+v, %v", peID, got, err)
		}
		c, err := rs.r.api.GetAppConfig(rs.r.ctx, a.ID, peID)
		if err != nil || c.Config != values {
			return fmt.Errorf("app config after the refused change: %+v, %v; want the values kept", c, err)
		}
		return nil
	}
	refused := func(attr, from, to string) resource.TestStep {
		cfgs := map[string]string{
			"environment_id": pe(p.ID, e2.ID, "pe"), "project_id": pe(other.ID, e1.ID, "pe"), "name": pe(p.ID, e1.ID, "pe2"),
		}
		return resource.TestStep{
			Config: rs.provider + cfgs[attr] + config("galaxias_project_environment.pe"),
			ExpectError: rtWords("This Galaxias server cannot replace a project environment",
				"with galaxias_project_environment.pe,", "Changing "+attr+" from "+from+" to "+to,
				"would replace this project environment", `(API dialect "rock")`, "(412 41200008)",
				"Nothing was changed.", "set "+attr+" back to "+from, "another `galaxias_project_environment`",
				"`removed` block"),
			Check: kept,
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{Config: rs.provider + pe(p.ID, e1.ID, "pe") + config("galaxias_project_environment.pe"),
				Check: func(s *terraform.State) error { peID = stateID(s, "galaxias_project_environment.pe"); return nil }},
			refused("environment_id", fmt.Sprint(e1.ID), fmt.Sprint(e2.ID)),
			refused("project_id", fmt.Sprint(p.ID), fmt.Sprint(other.ID)),
			refused("name", `"pe"`, `"pe2"`),
			{ // an environment known only at apply: Terraform plans again then, and that plan refuses it
				Config: rs.provider + fmt.Sprintf(`
resource "galaxias_environment" "n" {
  cluster_id = %d
  namespace  = "new"
}
resource "galaxias_project_environment" "pe" {
  project_id     = %d
  environment_id = galaxias_environment.n.id
  name           = "pe"
}`, cl.ID, p.ID) + config("galaxias_project_environment.pe"),
				ExpectError: rtWords("This Galaxias server cannot replace a project environment",
					"Changing environment_id from "+fmt.Sprint(e1.ID)+" to", "Nothing was changed."),
				Check: kept,
			},
			{ // what the error advises
				PreConfig: func() {
					if err := kept(nil); err != nil {
						t.Fatal(err)
					}
				},
				Config: rs.provider + strings.Replace(pe(p.ID, e2.ID, "pe2"), `"pe"`, `"pe2"`, 1) +
					config("galaxias_project_environment.pe2") + `
removed {
  from = galaxias_project_environment.pe
  lifecycle {
    destroy = false
  }
}`,
				Check: func(s *terraform.State) error {
					pe2 := stateID(s, "galaxias_project_environment.pe2")
					c, err := rs.r.api.GetAppConfig(rs.r.ctx, a.ID, pe2)
					if err != nil || c.Config != values {
						return fmt.Errorf("app config of the new binding: %+v, %v", c, err)
					}
					if _, err := rs.r.api.GetProjectEnv(rs.r.ctx, p.ID, peID); err != nil {
						return fmt.Errorf("the old binding, let go: %v", err)
					}
					return nil
				},
			},
			{ // the new binding cannot be destroyed either (its config stays, emptied): let go
				Config: rs.provider + `
removed {
  from = galaxias_project_environment.pe2
  lifecycle {
    destroy = false
  }
}`,
			},
		},
	})
}

// terraform-destroy 25-31: a plain destroy on the re-implementation empties
// the app configs (PUT, never the DELETE that removes every app's config),
// then stops at the project environment (412). The error says what stays
// and what to do, and that advice works: removed blocks let go of the
// project environment, its project, environment and cluster, which stay on
// the server; other apps' configs are untouched throughout.
func TestAccRockLimits_destroyAdvice(t *testing.T) {
	rs := startRock(t)
	kc := rs.r.kubeconfig("destroy")
	world := fmt.Sprintf(`
resource "galaxias_project" "p" {
  name = "dp"
}
resource "galaxias_cluster" "c" {
  name   = "dc"
  config = %q
}
resource "galaxias_environment" "e" {
  cluster_id = galaxias_cluster.c.id
  namespace  = "dns"
}
resource "galaxias_project_environment" "pe" {
  project_id     = galaxias_project.p.id
  environment_id = galaxias_environment.e.id
}
`, kc)
	app := `
resource "galaxias_app" "a" {
  project_id = galaxias_project.p.id
  name       = "da"
}
resource "galaxias_app_config" "v" {
  app_id                 = galaxias_app.a.id
  project_environment_id = galaxias_project_environment.pe.id
  values                 = "replicaCount: 2\n"
}`
	// another app's config, made outside Terraform
	op := rs.r.project("op", "")
	ope := rs.r.projectEnv(op.ID, rs.r.env(rs.r.cluster("oc").ID, "ons", "").ID, "", "")
	oa := rs.r.app(client.AppInput{ProjectID: op.ID, Name: "outside"})
	rs.r.config(oa.ID, ope.ID, "kept: 1\n")
	var ids map[string]int64
	remember := func(s *terraform.State) error {
		ids = map[string]int64{}
		for _, addr := range []string{"galaxias_project.p", "galaxias_cluster.c", "galaxias_environment.e", "galaxias_project_environment.pe"} {
			ids[addr] = stateID(s, addr)
		}
		return nil
	}
	stayed := func(*terraform.State) error {
		pid, peID := ids["galaxias_project.p"], ids["galaxias_project_environment.pe"]
		if _, err := rs.r.api.GetProjectEnv(rs.r.ctx, pid, peID); err != nil {
			return fmt.Errorf("project environment: %v", err)
		}
		if _, err := rs.r.api.GetEnv(rs.r.ctx, ids["galaxias_environment.e"]); err != nil {
			return fmt.Errorf("environment: %v", err)
		}
		if _, err := rs.r.api.GetCluster(rs.r.ctx, ids["galaxias_cluster.c"]); err != nil {
			return fmt.Errorf("cluster: %v", err)
		}
		if _, err := rs.r.api.GetProject(rs.r.ctx, pid); err != nil {
			return fmt.Errorf("project: %v", err)
		}
		if c, err := rs.r.api.GetAppConfig(rs.r.ctx, oa.ID, ope.ID); err != nil || c.Config != "kept: 1\n" {
			return fmt.Errorf("the other app's config: %+v, %v", c, err)
		}
		return nil
	}
	removed := ""
	for _, addr := range []string{"galaxias_project.p", "galaxias_cluster.c", "galaxias_environment.e", "galaxias_project_environment.pe"} {
		removed += fmt.Sprintf("removed {\n  from = %s\n  lifecycle {\n    destroy = false\n  }\n}\n", addr)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{Config: rs.provider + world + app, Check: remember},
			{Config: rs.provider + world, Check: stayed}, // the app and its config go; the binding stays
			{Config: rs.provider, ExpectError: rtWords("Failed to delete galaxias_project_environment: it is still in use",
				"41200008", "The project environment stays on the server, and so do its project, environment and cluster",
				"destroying again fails the same way", "`removed` blocks")},
			{Config: rs.provider, ExpectError: rtWords("Failed to delete galaxias_project_environment: it is still in use")},
			{Config: rs.provider + removed, Check: stayed},
		},
	})
	for req, n := range rockRequestCounts(t, rs) {
		if strings.HasPrefix(req, "DELETE /v1/apps/") && strings.HasSuffix(req, "/config") {
			t.Errorf("%d× %s: the route that deletes every app's config was used", n, req)
		}
	}
}

// rockRequestCounts returns what the test's reference server received, by
// "METHOD path" (its test-only GET /v1/_test/requests).
func rockRequestCounts(t *testing.T, rs *rockServer) map[string]int {
	t.Helper()
	req, err := http.NewRequestWithContext(rs.r.ctx, http.MethodGet, rs.srv.URL+"/v1/_test/requests", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+rs.r.token())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	var out struct {
		Requests map[string]int `json:"requests"`
	}
	if resp.StatusCode != http.StatusOK || json.NewDecoder(resp.Body).Decode(&out) != nil || len(out.Requests) == 0 {
		t.Fatalf("GET /v1/_test/requests: %s, %v", resp.Status, out.Requests)
	}
	return out.Requests
}

// The re-implementation checks a new cluster's kubeconfig by calling its
// API server with no time limit (reference page: a create hung 63 s). Against
// an API server that never answers, the create ends after one attempt's
// timeout (request_timeout) with an error that names the API server, says
// that Galaxias could not reach it or it did not answer in time and what to
// do; the request is not sent again (the API server is called once), and
// no cluster is made. The reference server waits without limit too (were it
// to give up after its old 10 s, the error would be its 400 instead).
func TestAccRockLimits_clusterAPIServerHangs(t *testing.T) {
	rs := startRock(t)
	release := make(chan struct{})
	var calls atomic.Int64
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		select { // never answers while the test runs
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer hang.Close()
	defer close(release)
	const timeout = 11 * time.Second
	provider := strings.Replace(rs.provider, "provider \"galaxias\" {\n",
		fmt.Sprintf("provider \"galaxias\" {\n  request_timeout = %q\n", timeout), 1)
	var took time.Duration
	var start time.Time
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			PreConfig: func() { start = time.Now() },
			Config: provider + fmt.Sprintf(`
resource "galaxias_cluster" "c" {
  name   = "hangs"
  config = %q
}`, fakek8s.Kubeconfig(hang.URL, "t")),
			ExpectError: rtWords("Failed to create galaxias_cluster", "POST /v1/clusters got no answer within",
				"this Galaxias server first calls the cluster's API server "+hang.URL, "waits for it without a time limit",
				"Galaxias could not reach that API server, or it did not answer in time", "The request was not sent again",
				"Check that the Galaxias server can reach "+hang.URL, "`request_timeout`", `the cluster "hangs" anyway`),
		}, {
			PreConfig: func() { took = time.Since(start) },
			Config:    provider,
		}},
	})
	if took > timeout+15*time.Second {
		t.Errorf("the failed create took %s; want about one request_timeout (%s)", took, timeout)
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("the API server was called %d times; want once (one POST /v1/clusters)", n)
	}
	if cls := must[[]client.Cluster](t)(rs.r.api.ListClusters(rs.r.ctx, "hangs")); len(cls) != 0 {
		t.Errorf("clusters after the failed create: %+v", cls)
	}
}
