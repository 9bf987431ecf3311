package galaxias_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/galaxias/terraform-provider-galaxias/internal/acctest"
	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
)

// rtWorldHCL is a project "p", a cluster "c" and its envs "e1" (namespace
// ns-one) and "e2" (ns-two), for the resources that need them.
func rtWorldHCL(prefix string) string {
	return rtClusterHCL(prefix+"-cl") + fmt.Sprintf(`
resource "galaxias_project" "p" {
  name = %q
}
resource "galaxias_environment" "e1" {
  cluster_id = galaxias_cluster.c.id
  namespace  = "ns-one"
}
resource "galaxias_environment" "e2" {
  cluster_id = galaxias_cluster.c.id
  namespace  = "ns-two"
}
`, prefix+"-p")
}

// rtProjectEnvHas checks the project-env's record on the server.
func rtProjectEnvHas(api *client.Client, id *int64, envAddr, name, desc string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		pe, err := api.LookupProjectEnv(context.Background(), *id)
		if err != nil {
			return err
		}
		pid, eid := stateID(s, "galaxias_project.p"), stateID(s, envAddr)
		if pe.ProjectID != pid || pe.EnvID != eid || pe.Name != name || pe.Description != desc {
			return fmt.Errorf("server has project-env %+v; want project %d, env %d, name %q, description %q", pe, pid, eid, name, desc)
		}
		return nil
	}
}

func TestAccProjectEnvironment_lifecycle(t *testing.T) {
	acctest.PreCheckGalaxias(t)
	api := acctest.Galaxias(t)
	ctx := context.Background()
	prefix := acctest.Name("pe")
	addr := "galaxias_project_environment.pe"
	cfg := func(env, attrs string) string {
		return rtWorldHCL(prefix) + fmt.Sprintf(`
resource "galaxias_project_environment" "pe" {
  project_id     = galaxias_project.p.id
  environment_id = galaxias_environment.%s.id
  %s
}`, env, attrs)
	}
	var id, oldID int64
	saveID := func(s *terraform.State) error { id = stateID(s, addr); return nil }
	defaultName := prefix + "-cl-ns-one"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if _, err := api.LookupProjectEnv(ctx, id); !client.IsNotFound(err) {
				return fmt.Errorf("project-env %d: want 404 after destroy, got %v", id, err)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{ // no name: Galaxias names it <cluster>-<namespace>
				Config: cfg("e1", ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectUnknownValue(addr, tfjsonpath.New("name")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("name"), knownvalue.StringExact(defaultName)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("description"), knownvalue.StringExact("")),
				},
				Check: resource.ComposeTestCheckFunc(saveID, rtProjectEnvHas(api, &id, "galaxias_environment.e1", defaultName, "")),
			},
			{ // rename and describe: in place
				Config: cfg("e1", `name = "staging"`+"\n  description = \"second\""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: rtProjectEnvHas(api, &id, "galaxias_environment.e1", "staging", "second"),
			},
			// by the id alone
			{ResourceName: addr, ImportState: true, ImportStateVerify: true},
			{ // no name any more: the name stays as it is
				Config: cfg("e1", `description = "second"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				Check: rtProjectEnvHas(api, &id, "galaxias_environment.e1", "staging", "second"),
			},
			{ // another environment: replaced
				PreConfig: func() { oldID = id },
				Config:    cfg("e2", `name = "staging"`+"\n  description = \"second\""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				Check: resource.ComposeTestCheckFunc(saveID, rtProjectEnvHas(api, &id, "galaxias_environment.e2", "staging", "second"),
					func(*terraform.State) error {
						if _, err := api.LookupProjectEnv(ctx, oldID); !client.IsNotFound(err) {
							return fmt.Errorf("old project-env %d: want 404, got %v", oldID, err)
						}
						return nil
					}),
			},
			{ // changed outside Terraform: the plan shows it
				PreConfig: func() {
					pe, err := api.LookupProjectEnv(ctx, id)
					if err != nil {
						t.Fatal(err)
					}
					if _, err := api.UpdateProjectEnv(ctx, pe.ProjectID, id, client.ProjectEnvInput{Name: "by-hand", Description: "by hand"}); err != nil {
						t.Fatal(err)
					}
				},
				Config: cfg("e2", `name = "staging"`+"\n  description = \"second\""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("name"), knownvalue.StringExact("staging")),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("description"), knownvalue.StringExact("second")),
				}},
				Check: rtProjectEnvHas(api, &id, "galaxias_environment.e2", "staging", "second"),
			},
			{ // deleted outside Terraform: re-created
				PreConfig: func() {
					pe, err := api.LookupProjectEnv(ctx, id)
					if err != nil {
						t.Fatal(err)
					}
					if err := api.DeleteProjectEnv(ctx, pe.ProjectID, id); err != nil {
						t.Fatal(err)
					}
				},
				Config: cfg("e2", `name = "staging"`+"\n  description = \"second\""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
				}},
				Check: resource.ComposeTestCheckFunc(saveID, rtProjectEnvHas(api, &id, "galaxias_environment.e2", "staging", "second")),
			},
		},
	})
}
