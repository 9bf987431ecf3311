package galaxias_test

import (
	"context"
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias"
	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/acctest"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/galaxiasapi"
)

const (
	rtValuesV1 = `replicaCount: 2
image:
  repository: nginx
  tag: "v1"
env:
  - name: MODE
    value: prod
`
	// The same data: keys reordered, other quoting, flow style, comments.
	rtValuesV1Reformatted = `# reformatted by hand
env: [{value: prod, name: MODE}]
image: {tag: v1, repository: 'nginx'}
replicaCount: 2
`
	rtValuesV2 = `replicaCount: 3
image:
  repository: nginx
  tag: "v2"
`
	rtValuesByHand = `replicaCount: 9
image:
  repository: nginx
  tag: "hotfix"
`
)

// rtAppConfigHas checks that the server holds values with the same data.
func rtAppConfigHas(api *client.Client, app, pe *int64, values string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		c, err := api.GetAppConfig(context.Background(), *app, *pe)
		if err != nil {
			return err
		}
		got, err1 := galaxias.NormalizeYAML(c.Config)
		want, err2 := galaxias.NormalizeYAML(values)
		if err1 != nil || err2 != nil || got != want {
			return fmt.Errorf("server has values for app %d, project-env %d:\n%s\nwant the data of:\n%s", *app, *pe, c.Config, values)
		}
		return nil
	}
}

// rtAppConfigGone checks that an app has no values for a project-env any more.
func rtAppConfigGone(api *client.Client, app, pe *int64) resource.TestCheckFunc {
	return func(*terraform.State) error {
		gone, err := acctest.ConfigGone(context.Background(), api, *app, *pe)
		if err != nil {
			return err
		}
		if !gone {
			return fmt.Errorf("app %d still has values for project-env %d", *app, *pe)
		}
		return nil
	}
}

// The project environments are made through the API: on the
// re-implementation a project environment that ever had an app config
// cannot be deleted (see TestAccAppConfig_destroyLeavesOthers), so a
// Terraform-managed one could not be destroyed at the end of the test.
func TestAccAppConfig_lifecycle(t *testing.T) {
	r := stackRecords(t)
	api, ctx := r.api, r.ctx
	prefix := acctest.Name("ac")
	p := r.project(prefix, "")
	cl := r.cluster(prefix)
	pe1 := r.projectEnv(p.ID, r.env(cl.ID, "ns-one", "").ID, "", "")
	pe2 := r.projectEnv(p.ID, r.env(cl.ID, "ns-two", "").ID, "", "")
	addr := "galaxias_app_config.v"
	cfg := func(pe *client.ProjectEnv, values string) string {
		return fmt.Sprintf(`
resource "galaxias_app" "a" {
  project_id = %d
  name       = "web"
}
resource "galaxias_app_config" "v" {
  app_id                 = galaxias_app.a.id
  project_environment_id = %d
  values                 = %q
}`, p.ID, pe.ID, values)
	}
	var appID, peID, oldPE int64
	saveIDs := func(s *terraform.State) error {
		appID = stateID(s, "galaxias_app.a")
		_, _ = fmt.Sscanf(s.RootModule().Resources[addr].Primary.ID, "%d/%d", &appID, &peID)
		return nil
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if _, err := api.GetApp(ctx, appID); !client.IsNotFound(err) {
				return fmt.Errorf("app %d: want 404 after destroy, got %v", appID, err)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: cfg(pe1, rtValuesV1),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("values"), knownvalue.StringExact(rtValuesV1)),
				},
				Check: resource.ComposeTestCheckFunc(saveIDs,
					func(s *terraform.State) error {
						want := fmt.Sprintf("%d/%d", stateID(s, "galaxias_app.a"), pe1.ID)
						if got := s.RootModule().Resources[addr].Primary.ID; got != want {
							return fmt.Errorf("id is %q, want %q", got, want)
						}
						return nil
					},
					rtAppConfigHas(api, &appID, &peID, rtValuesV1)),
			},
			{ // the same data written differently: nothing to do
				Config: cfg(pe1, rtValuesV1Reformatted),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				Check: rtAppConfigHas(api, &appID, &peID, rtValuesV1),
			},
			{ // other values: in place
				Config: cfg(pe1, rtValuesV2),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: rtAppConfigHas(api, &appID, &peID, rtValuesV2),
			},
			{ResourceName: addr, ImportState: true, ImportStateVerify: true},
			{ResourceName: addr, ImportState: true, ImportStateId: "1",
				ExpectError: rtWords(`import id "1" must have the form app_id/project_environment_id`)},
			{ResourceName: addr, ImportState: true, ImportStateId: "1/2/3",
				ExpectError: rtWords(`import id "1/2/3" must have the form app_id/project_environment_id`)},
			{ResourceName: addr, ImportState: true, ImportStateId: "a/b",
				ExpectError: rtWords(`app_id "a" must be a positive integer`)},
			{ResourceName: addr, ImportState: true, ImportStateId: "0/1",
				ExpectError: rtWords(`app_id "0" must be a positive integer`)},
			{ResourceName: addr, ImportState: true, ImportStateId: "1/x",
				ExpectError: rtWords(`project_environment_id "x" must be a positive integer`)},
			{ResourceName: addr, ImportState: true, ImportStateId: "1/",
				ExpectError: rtWords(`project_environment_id is empty`)},
			{ // a formatting change on the server is not drift either
				PreConfig: func() {
					if _, err := api.PutAppConfig(ctx, appID, peID, "image: {tag: v2, repository: nginx}\nreplicaCount: 3\n"); err != nil {
						t.Fatal(err)
					}
				},
				Config: cfg(pe1, rtValuesV2),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
			},
			{ // other values set outside Terraform: the plan puts them back
				PreConfig: func() {
					if _, err := api.PutAppConfig(ctx, appID, peID, rtValuesByHand); err != nil {
						t.Fatal(err)
					}
				},
				Config: cfg(pe1, rtValuesV2),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("values"), knownvalue.StringExact(rtValuesV2)),
				}},
				Check: rtAppConfigHas(api, &appID, &peID, rtValuesV2),
			},
			{ // removed outside Terraform (safely, as the provider does):
				// re-created
				PreConfig: func() {
					if err := galaxiasapi.DeleteAppConfig(ctx, api, appID, peID); err != nil {
						t.Fatal(err)
					}
				},
				Config: cfg(pe1, rtValuesV2),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
				}},
				Check: rtAppConfigHas(api, &appID, &peID, rtValuesV2),
			},
			{ // another project-environment: replaced
				PreConfig: func() { oldPE = peID },
				Config:    cfg(pe2, rtValuesV2),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				Check: resource.ComposeTestCheckFunc(saveIDs,
					rtAppConfigHas(api, &appID, &peID, rtValuesV2),
					rtAppConfigGone(api, &appID, &oldPE)),
			},
		},
	})
}

// Destroying an app config never touches another app's or another
// environment's config, on any server: the contract deletes exactly that
// one; where the only delete route would delete every app's config (the
// re-implementation), the provider empties it instead, reads the emptied
// config as absent, and the server then refuses to delete its project
// environment (412), which the diagnostic explains.
func TestAccAppConfig_destroyLeavesOthers(t *testing.T) {
	r := stackRecords(t)
	api, ctx := r.api, r.ctx
	prefix := acctest.Name("acd")
	p := r.project(prefix, "")
	cl := r.cluster(prefix)
	pe1 := r.projectEnv(p.ID, r.env(cl.ID, "ns-one", "").ID, "", "")
	pe2 := r.projectEnv(p.ID, r.env(cl.ID, "ns-two", "").ID, "", "")
	ours := r.app(client.AppInput{ProjectID: p.ID, Name: prefix + "-ours"})
	other := r.app(client.AppInput{ProjectID: p.ID, Name: prefix + "-other"})
	// The configs that must survive, byte for byte.
	others := map[[2]int64]string{
		{other.ID, pe1.ID}: "owner: other app, same environment\n",
		{other.ID, pe2.ID}: "owner: other app, other environment\n",
		{ours.ID, pe2.ID}:  "owner: this app, other environment\n",
	}
	for k, v := range others {
		r.config(k[0], k[1], v)
	}
	untouched := func(*terraform.State) error {
		for k, want := range others {
			c, err := api.GetAppConfig(ctx, k[0], k[1])
			if err != nil {
				return fmt.Errorf("config of app %d for project-env %d: %w", k[0], k[1], err)
			}
			if c.Config != want {
				return fmt.Errorf("config of app %d for project-env %d is %q, want %q", k[0], k[1], c.Config, want)
			}
		}
		return nil
	}
	res := fmt.Sprintf(`
resource "galaxias_app_config" "v" {
  app_id                 = %d
  project_environment_id = %d
  values                 = "replicaCount: 2\n"
}`, ours.ID, pe1.ID)
	appID, peID := ours.ID, pe1.ID
	steps := []resource.TestStep{
		{Config: res, Check: resource.ComposeTestCheckFunc(untouched, rtAppConfigHas(api, &appID, &peID, "replicaCount: 2\n"))},
		{ // removed from the configuration: destroyed
			Config: `# nothing`,
			Check:  resource.ComposeTestCheckFunc(untouched, rtAppConfigGone(api, &appID, &peID)),
		},
		{ // and made again: the emptied config (rock) is not mistaken for it
			Config: res,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction("galaxias_app_config.v", plancheck.ResourceActionCreate),
			}},
			Check: resource.ComposeTestCheckFunc(untouched, rtAppConfigHas(api, &appID, &peID, "replicaCount: 2\n")),
		},
	}
	if acctest.IsRock(t) {
		// The emptied config keeps its project environment: a Terraform
		// destroy of that project environment fails and says why.
		steps = append(steps, resource.TestStep{
			Config: `# nothing`,
			Check:  resource.ComposeTestCheckFunc(untouched, rtAppConfigGone(api, &appID, &peID)),
		}, resource.TestStep{
			Config: fmt.Sprintf(`
import {
  to = galaxias_project_environment.pe
  id = "%d/%d"
}
resource "galaxias_project_environment" "pe" {
  project_id     = %d
  environment_id = %d
}`, p.ID, pe1.ID, p.ID, pe1.EnvID),
		}, resource.TestStep{
			Config: `# nothing`,
			ExpectError: rtWords("Failed to delete galaxias_project_environment: it is still in use", "412",
				"The project environment stays on the server", "`removed` blocks"),
		}, resource.TestStep{ // letting go without state rm: a removed block
			Config: `
removed {
  from = galaxias_project_environment.pe
  lifecycle {
    destroy = false
  }
}`,
			Check: untouched,
		})
	}
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: acctest.ProviderFactories, Steps: steps})
}

// Values are checked at plan time.
func TestAppConfig_validation(t *testing.T) {
	cases := map[string]struct{ values, want string }{
		"invalid yaml":   {"a: [1", `(?s)Invalid YAML in values`},
		"top-level list": {"- a\n- b\n", `(?s)Invalid YAML in values.*top level must be a map`},
		"scalar":         {"just text", `(?s)Invalid YAML in values.*top level must be a map`},
		"two documents":  {"a: 1\n---\nb: 2\n", `(?s)Invalid YAML in values.*more than one YAML document`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProviderFactories,
				Steps: []resource.TestStep{{
					Config: fmt.Sprintf(`
resource "galaxias_app_config" "v" {
  app_id                 = 1
  project_environment_id = 1
  values                 = %q
}`, tc.values),
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(tc.want),
				}},
			})
		})
	}
}
