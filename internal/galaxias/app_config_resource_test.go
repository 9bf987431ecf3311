package galaxias_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/galaxias/terraform-provider-galaxias/internal/acctest"
	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias"
	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
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
func rtAppConfigHas(api *client.Client, appAddr, peAddr, values string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		app, pe := stateID(s, appAddr), stateID(s, peAddr)
		c, err := api.GetAppConfig(context.Background(), app, pe)
		if err != nil {
			return err
		}
		got, err1 := galaxias.NormalizeYAML(c.Config)
		want, err2 := galaxias.NormalizeYAML(values)
		if err1 != nil || err2 != nil || got != want {
			return fmt.Errorf("server has values for app %d, project-env %d:\n%s\nwant the data of:\n%s", app, pe, c.Config, values)
		}
		return nil
	}
}

func TestAccAppConfig_lifecycle(t *testing.T) {
	acctest.PreCheckGalaxias(t)
	api := acctest.Galaxias(t)
	ctx := context.Background()
	prefix := acctest.Name("ac")
	addr := "galaxias_app_config.v"
	cfg := func(pe, values string) string {
		return rtWorldHCL(prefix) + fmt.Sprintf(`
resource "galaxias_project_environment" "pe1" {
  project_id     = galaxias_project.p.id
  environment_id = galaxias_environment.e1.id
}
resource "galaxias_project_environment" "pe2" {
  project_id     = galaxias_project.p.id
  environment_id = galaxias_environment.e2.id
}
resource "galaxias_app" "a" {
  project_id = galaxias_project.p.id
  name       = "web"
}
resource "galaxias_app_config" "v" {
  app_id                 = galaxias_app.a.id
  project_environment_id = galaxias_project_environment.%s.id
  values                 = %q
}`, pe, values)
	}
	var appID, peID, oldPE int64
	saveIDs := func(s *terraform.State) error {
		appID = stateID(s, "galaxias_app.a")
		peID = stateID(s, "galaxias_project_environment.pe1")
		if rs := s.RootModule().Resources[addr]; strings.HasSuffix(rs.Primary.ID, fmt.Sprintf("/%d", stateID(s, "galaxias_project_environment.pe2"))) {
			peID = stateID(s, "galaxias_project_environment.pe2")
		}
		return nil
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if _, err := api.GetAppConfig(ctx, appID, peID); !client.IsNotFound(err) {
				return fmt.Errorf("app config %d/%d: want 404 after destroy, got %v", appID, peID, err)
			}
			if _, err := api.GetApp(ctx, appID); !client.IsNotFound(err) {
				return fmt.Errorf("app %d: want 404 after destroy, got %v", appID, err)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: cfg("pe1", rtValuesV1),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("values"), knownvalue.StringExact(rtValuesV1)),
				},
				Check: resource.ComposeTestCheckFunc(saveIDs,
					func(s *terraform.State) error {
						want := fmt.Sprintf("%d/%d", appID, peID)
						if got := s.RootModule().Resources[addr].Primary.ID; got != want {
							return fmt.Errorf("id is %q, want %q", got, want)
						}
						return nil
					},
					rtAppConfigHas(api, "galaxias_app.a", "galaxias_project_environment.pe1", rtValuesV1)),
			},
			{ // the same data written differently: nothing to do
				Config: cfg("pe1", rtValuesV1Reformatted),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				Check: rtAppConfigHas(api, "galaxias_app.a", "galaxias_project_environment.pe1", rtValuesV1),
			},
			{ // other values: in place
				Config: cfg("pe1", rtValuesV2),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: rtAppConfigHas(api, "galaxias_app.a", "galaxias_project_environment.pe1", rtValuesV2),
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
				Config: cfg("pe1", rtValuesV2),
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
				Config: cfg("pe1", rtValuesV2),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("values"), knownvalue.StringExact(rtValuesV2)),
				}},
				Check: rtAppConfigHas(api, "galaxias_app.a", "galaxias_project_environment.pe1", rtValuesV2),
			},
			{ // deleted outside Terraform: re-created
				PreConfig: func() {
					if err := api.DeleteAppConfig(ctx, appID, peID); err != nil {
						t.Fatal(err)
					}
				},
				Config: cfg("pe1", rtValuesV2),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
				}},
				Check: rtAppConfigHas(api, "galaxias_app.a", "galaxias_project_environment.pe1", rtValuesV2),
			},
			{ // another project-environment: replaced
				PreConfig: func() { oldPE = peID },
				Config:    cfg("pe2", rtValuesV2),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				Check: resource.ComposeTestCheckFunc(saveIDs,
					rtAppConfigHas(api, "galaxias_app.a", "galaxias_project_environment.pe2", rtValuesV2),
					func(*terraform.State) error {
						if _, err := api.GetAppConfig(ctx, appID, oldPE); !client.IsNotFound(err) {
							return fmt.Errorf("old app config %d/%d: want 404, got %v", appID, oldPE, err)
						}
						return nil
					}),
			},
		},
	})
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
