package galaxias_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/acctest"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/galaxiasapi"
)

// dsItem checks one attribute of the i-th element of a data source's list.
func dsItem(addr, list string, i int, attr string, v knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue("data."+addr, tfjsonpath.New(list).AtSliceIndex(i).AtMapKey(attr), v)
}

// The client asks for pages of 100: 101 apps take two pages on both dialects.
func TestAccDataSourceApps(t *testing.T) {
	r := stackRecords(t)
	name := acctest.Name("dsas")
	p, p2 := r.project(name, ""), r.project(name+"-2", "")
	const n = 101
	apps := make([]*client.App, n)
	for i := range apps {
		apps[i] = r.app(client.AppInput{ProjectID: p.ID, Name: fmt.Sprintf("%s-%03d", name, i), Description: fmt.Sprintf("app %d", i)})
	}
	r.app(client.AppInput{ProjectID: p2.ID, Name: name + "-other"})
	cfg := func(project int64) string {
		return fmt.Sprintf("data \"galaxias_apps\" \"x\" {\n  project_id = %d\n}\n", project)
	}
	addr := "galaxias_apps.x"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: cfg(p.ID),
				ConfigStateChecks: []statecheck.StateCheck{
					dsCheck(addr, "apps", knownvalue.ListSizeExact(n)),
					dsItem(addr, "apps", 0, "id", knownvalue.Int64Exact(apps[0].ID)),
					dsItem(addr, "apps", 0, "name", knownvalue.StringExact(apps[0].Name)),
					dsItem(addr, "apps", 0, "description", knownvalue.StringExact("app 0")),
					dsItem(addr, "apps", n-1, "id", knownvalue.Int64Exact(apps[n-1].ID)),
					dsItem(addr, "apps", n-1, "name", knownvalue.StringExact(apps[n-1].Name)),
				},
			},
			{Config: cfg(999999999), ExpectError: dsNotFound("project", 999999999)},
		},
	})
}

func TestAccDataSourceProjectEnvironments(t *testing.T) {
	r := stackRecords(t)
	name := acctest.Name("dspes")
	p, p2 := r.project(name, ""), r.project(name+"-2", "")
	c := r.cluster(name)
	e1, e2 := r.env(c.ID, "a-"+name, ""), r.env(c.ID, "b-"+name, "")
	pe1 := r.projectEnv(p.ID, e1.ID, "", "first")
	pe2 := r.projectEnv(p.ID, e2.ID, "second-"+name, "")
	r.projectEnv(p2.ID, e1.ID, "", "other project")
	addr := "galaxias_project_environments.x"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf("data \"galaxias_project_environments\" \"x\" {\n  project_id = %d\n}\n", p.ID),
			ConfigStateChecks: []statecheck.StateCheck{
				dsCheck(addr, "project_environments", knownvalue.ListSizeExact(2)),
				dsItem(addr, "project_environments", 0, "id", knownvalue.Int64Exact(pe1.ID)),
				dsItem(addr, "project_environments", 0, "name", knownvalue.StringExact(pe1.Name)),
				dsItem(addr, "project_environments", 0, "environment_id", knownvalue.Int64Exact(e1.ID)),
				dsItem(addr, "project_environments", 0, "description", knownvalue.StringExact("first")),
				dsItem(addr, "project_environments", 0, "import_id", knownvalue.StringExact(fmt.Sprintf("%d/%d", p.ID, pe1.ID))),
				dsItem(addr, "project_environments", 1, "id", knownvalue.Int64Exact(pe2.ID)),
				dsItem(addr, "project_environments", 1, "name", knownvalue.StringExact("second-"+name)),
				dsItem(addr, "project_environments", 1, "environment_id", knownvalue.Int64Exact(e2.ID)),
			},
		}, {
			Config:      "data \"galaxias_project_environments\" \"x\" {\n  project_id = 999999999\n}\n",
			ExpectError: dsNotFound("project", 999999999),
		}},
	})
}

// A release of another project's app in the same environment, and an app
// that runs nothing, are not listed.
func TestAccDataSourceReleases(t *testing.T) {
	r := stackRecords(t)
	name := acctest.Name("dsrel")
	const v = "1.0.0-master-aa11bb"
	d := r.deployable(name, "replicas: 1\n", v)
	r.app(client.AppInput{ProjectID: d.project.ID, Name: name + "-idle"})
	p2 := r.project(name+"-2", "")
	pe2 := r.projectEnv(p2.ID, d.env.ID, "", "")
	other := r.app(client.AppInput{ProjectID: p2.ID, Name: name + "-o"})
	r.config(other.ID, pe2.ID, "replicas: 1\n")
	r.chart(other.Name, v)
	ctx := context.Background()
	for _, in := range []client.DeploymentInput{
		{AppID: d.app.ID, ProjectEnvID: d.pe.ID, ChartName: d.app.Name, ChartVersion: v},
		{AppID: other.ID, ProjectEnvID: pe2.ID, ChartName: other.Name, ChartVersion: v},
	} {
		must[*client.Deployment](t)(galaxiasapi.Deploy(ctx, r.api, in))
	}
	t.Cleanup(func() { uninstallAll(t, r.api, d.env.ID) })
	addr := "galaxias_releases.x"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: fmt.Sprintf("data \"galaxias_releases\" \"x\" {\n  project_environment_id = %d\n}\n", d.pe.ID),
				ConfigStateChecks: []statecheck.StateCheck{
					dsCheck(addr, "project_id", knownvalue.Int64Exact(d.project.ID)),
					dsCheck(addr, "environment_id", knownvalue.Int64Exact(d.env.ID)),
					dsCheck(addr, "releases", knownvalue.ListSizeExact(1)),
					dsItem(addr, "releases", 0, "app_id", knownvalue.Int64Exact(d.app.ID)),
					dsItem(addr, "releases", 0, "chart_name", knownvalue.StringExact(d.app.Name)),
					dsItem(addr, "releases", 0, "chart_version", knownvalue.StringExact(v)),
					dsItem(addr, "releases", 0, "name", knownvalue.StringExact(d.app.Name+"-"+d.env.Namespace)),
					dsItem(addr, "releases", 0, "import_id", knownvalue.StringExact(fmt.Sprintf("%d/%d", d.app.ID, d.pe.ID))),
				},
			},
			{
				Config:      "data \"galaxias_releases\" \"x\" {\n  project_environment_id = 999999999\n}\n",
				ExpectError: dsErrText("999999999"),
			},
		},
	})
}

// uninstallAll uninstalls what runs in an env, so that the records can go.
func uninstallAll(t *testing.T, api *client.Client, envID int64) {
	list, err := api.ListInstances(context.Background(), client.InstanceFilter{EnvID: envID})
	if err != nil {
		t.Logf("cleanup: list the releases: %v", err)
		return
	}
	for _, in := range list {
		if err := api.DeleteInstance(context.Background(), in.ID); err != nil && !client.IsNotFound(err) {
			t.Logf("cleanup: release %s stays: %v", in.Name, err)
		}
	}
}

// importingCount checks that the plan imports n resources and changes nothing.
type importingCount struct{ n int }

func (c importingCount) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	imports := 0
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Change == nil {
			continue
		}
		if rc.Change.Importing != nil {
			imports++
		}
		if !rc.Change.Actions.NoOp() {
			resp.Error = fmt.Errorf("%s: plan %v, want no change", rc.Address, rc.Change.Actions)
			return
		}
	}
	if imports != c.n {
		resp.Error = fmt.Errorf("the plan imports %d resources, want %d", imports, c.n)
	}
}

// Adoption with Terraform 1.11: import { for_each } over galaxias_apps plans
// "N to import, 0 to add, 0 to change".
func TestAccDataSourceApps_adoptWithImportForEach(t *testing.T) {
	r := stackRecords(t)
	name := acctest.Name("adopt")
	p := r.project(name, "")
	const n = 3
	for i := 0; i < n; i++ {
		r.app(client.AppInput{ProjectID: p.ID, Name: fmt.Sprintf("%s-%d", name, i), Description: fmt.Sprintf("app %d", i)})
	}
	cfg := fmt.Sprintf(`
data "galaxias_apps" "x" {
  project_id = %d
}

locals {
  apps = { for a in data.galaxias_apps.x.apps : a.name => a }
}

import {
  for_each = local.apps
  to       = galaxias_app.a[each.key]
  id       = tostring(each.value.id)
}

resource "galaxias_app" "a" {
  for_each    = local.apps
  project_id  = %d
  name        = each.key
  description = each.value.description
}
`, p.ID, p.ID)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					importingCount{n: n},
				},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
		}, {
			// The testing framework's state shim cannot read for_each string
			// keys: forget the apps (the test's cleanup deletes them).
			Config: "removed {\n  from = galaxias_app.a\n  lifecycle {\n    destroy = false\n  }\n}\n",
		}},
	})
}

// Adoption of running releases: import { for_each } over galaxias_releases
// with the import_id it gives plans "1 to import, 0 to change".
func TestAccDataSourceReleases_adoptWithImportForEach(t *testing.T) {
	r := stackRecords(t)
	name := acctest.Name("adoptrel")
	const v = "1.0.0-master-aa11bb"
	d := r.deployable(name, "replicas: 1\n", v)
	must[*client.Deployment](t)(galaxiasapi.Deploy(context.Background(), r.api,
		client.DeploymentInput{AppID: d.app.ID, ProjectEnvID: d.pe.ID, ChartName: d.app.Name, ChartVersion: v}))
	t.Cleanup(func() { uninstallAll(t, r.api, d.env.ID) })
	cfg := fmt.Sprintf(`
data "galaxias_releases" "x" {
  project_environment_id = %d
}

locals {
  releases = { for r in data.galaxias_releases.x.releases : r.name => r }
}

import {
  for_each = local.releases
  to       = galaxias_deployment.d[each.key]
  id       = each.value.import_id
}

resource "galaxias_deployment" "d" {
  for_each               = local.releases
  app_id                 = each.value.app_id
  project_environment_id = data.galaxias_releases.x.project_environment_id
  chart_name             = each.value.chart_name
  chart_version          = each.value.chart_version
}
`, d.pe.ID)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{importingCount{n: 1}},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
		}, {
			Config: "removed {\n  from = galaxias_deployment.d\n  lifecycle {\n    destroy = false\n  }\n}\n",
		}},
	})
}
