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

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/acctest"
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
		pid, eid := stateID(s, "galaxias_project.p"), stateID(s, envAddr)
		pe, err := api.GetProjectEnv(context.Background(), pid, *id)
		if err != nil {
			return err
		}
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
	var id, oldID, projectID int64
	saveID := func(s *terraform.State) error {
		id, projectID = stateID(s, addr), stateID(s, "galaxias_project.p")
		return nil
	}
	defaultName := prefix + "-cl-ns-one"
	// A new name: in place where the server renames bindings. Where its PUT
	// changes only the description (the re-implementation), a new name
	// would replace the binding, and so would another environment: that
	// server cannot delete a binding once an app config named it, so both
	// are plan-time errors there (TestAccRockLimits_projectEnvReplaceRefused
	// shows why), and the name and environment stay.
	staging, envLater := "staging", "e2"
	var refusedRename, refusedMove []resource.TestStep
	if acctest.IsRock(t) {
		staging, envLater = defaultName, "e1"
		refusedRename = []resource.TestStep{{
			Config:      cfg("e1", `name = "staging"`+"\n  description = \"second\""),
			ExpectError: rtWords("This Galaxias server cannot replace a project environment", "Changing name"),
		}}
		refusedMove = []resource.TestStep{{
			Config:      cfg("e2", fmt.Sprintf("name = %q", staging)+"\n  description = \"second\""),
			ExpectError: rtWords("This Galaxias server cannot replace a project environment", "Changing environment_id"),
		}}
	}
	named := fmt.Sprintf("name = %q", staging) + "\n  description = \"second\""
	moved := append(refusedMove, resource.TestStep{ // another environment: replaced, where it can be
		PreConfig: func() { oldID = id },
		Config:    cfg("e2", named),
		ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
			plancheck.ExpectResourceAction(addr, plancheck.ResourceActionDestroyBeforeCreate),
		}},
		Check: resource.ComposeTestCheckFunc(saveID, rtProjectEnvHas(api, &id, "galaxias_environment.e2", staging, "second"),
			func(*terraform.State) error {
				if _, err := api.GetProjectEnv(ctx, projectID, oldID); !client.IsNotFound(err) {
					return fmt.Errorf("old project-env %d: want 404, got %v", oldID, err)
				}
				return nil
			}),
	})
	if acctest.IsRock(t) {
		moved = refusedMove
	}
	later := []resource.TestStep{
		{ // changed outside Terraform: the plan shows it
			PreConfig: func() {
				if _, err := api.UpdateProjectEnv(ctx, projectID, id, client.ProjectEnvInput{Name: "by-hand", Description: "by hand"}); err != nil {
					t.Fatal(err)
				}
			},
			Config: cfg(envLater, named),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				plancheck.ExpectKnownValue(addr, tfjsonpath.New("name"), knownvalue.StringExact(staging)),
				plancheck.ExpectKnownValue(addr, tfjsonpath.New("description"), knownvalue.StringExact("second")),
			}},
			Check: rtProjectEnvHas(api, &id, "galaxias_environment."+envLater, staging, "second"),
		},
		{ // deleted outside Terraform: re-created
			PreConfig: func() {
				if err := api.DeleteProjectEnv(ctx, projectID, id); err != nil {
					t.Fatal(err)
				}
			},
			Config: cfg(envLater, named),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
			}},
			Check: resource.ComposeTestCheckFunc(saveID, rtProjectEnvHas(api, &id, "galaxias_environment."+envLater, staging, "second")),
		},
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if _, err := api.GetProjectEnv(ctx, projectID, id); !client.IsNotFound(err) {
				return fmt.Errorf("project-env %d: want 404 after destroy, got %v", id, err)
			}
			return nil
		},
		Steps: append(append(append(append([]resource.TestStep{
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
			}}, refusedRename...), []resource.TestStep{
			{ // rename (where the server can) and describe: in place
				Config: cfg("e1", named),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeTestCheckFunc(func(s *terraform.State) error {
					if got := stateID(s, addr); got != id {
						return fmt.Errorf("updated in place, yet the id changed from %d to %d", id, got)
					}
					return nil
				}, rtProjectEnvHas(api, &id, "galaxias_environment.e1", staging, "second")),
			},
			// by <project_id>/<id>, and by the id alone (the contract's
			// GET /v1/project-envs/{id}, or a search of every project)
			{ResourceName: addr, ImportState: true, ImportStateVerify: true, ImportStateIdFunc: func(s *terraform.State) (string, error) {
				return fmt.Sprintf("%d/%d", stateID(s, "galaxias_project.p"), stateID(s, addr)), nil
			}},
			{ResourceName: addr, ImportState: true, ImportStateVerify: true},
			{ResourceName: addr, ImportState: true, ImportStateId: "0/1", ExpectError: rtWords(`project_id "0" must be a positive integer`)},
			{ResourceName: addr, ImportState: true, ImportStateId: "x", ExpectError: rtWords(`id "x" must be a positive integer`,
				"import a project environment with <project_id>/<id> or <id>")},
			{ // a project that does not hold it: not found (the
				// re-implementation ignores the path's project; the provider does not)
				ResourceName: addr, ImportState: true, ExpectError: rtWords("Cannot import non-existent remote object"),
				ImportStateIdFunc: func(s *terraform.State) (string, error) {
					return fmt.Sprintf("%d/%d", stateID(s, "galaxias_project.p")+100000, stateID(s, addr)), nil
				},
			},
			{ // no name any more: the name stays as it is
				Config: cfg("e1", `description = "second"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				Check: rtProjectEnvHas(api, &id, "galaxias_environment.e1", staging, "second"),
			},
		}...), moved...), later...),
	})
}
