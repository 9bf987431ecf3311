package galaxias_test

// Rock-dialect tests of facts recorded from the re-implementation
// (/work/shared/reference/rock-transcripts): app configs of no values,
// description limits, project environments that cannot be deleted while an
// app config names them, and clusters whose API server does not answer.
// Each starts its own reference server (startRock).

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/galaxias/terraform-provider-galaxias/internal/acctest"
	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
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
				"`description` has 101 characters;", `(API flavor "rock") accepts at most 100`,
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
