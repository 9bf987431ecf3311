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

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/acctest"
)

// stateID returns the numeric id of a resource in state.
func stateID(s *terraform.State, addr string) int64 {
	var id int64
	_, _ = fmt.Sscan(s.RootModule().Resources[addr].Primary.ID, &id)
	return id
}

func TestAccProject_lifecycle(t *testing.T) {
	acctest.PreCheckGalaxias(t)
	api := acctest.Galaxias(t)
	ctx := context.Background()
	name := acctest.Name("proj")
	renamed := name + "-x"
	addr := "galaxias_project.p"
	// Where the server cannot rename projects, a new name is refused at
	// plan time, naming the attribute and the server, and nothing is sent.
	renameRefused := resource.TestStep{
		Config: fmt.Sprintf("resource \"galaxias_project\" \"p\" {\n  name = %q\n  description = \"first\"\n}", name+"-x"),
		ExpectError: rtWords("This Galaxias server cannot change name",
			"The record lives on the public re-implementation of Galaxias (API dialect \"rock\"), where "+
				"`PUT /v1/projects/{id}` ignores `name`", "Set `name` back to the project's current name"),
	}
	if acctest.IsRock(t) {
		renamed = name
	}
	cfg := func(name, desc string) string {
		return fmt.Sprintf(`
resource "galaxias_project" "p" {
  name        = %q
  description = %q
}`, name, desc)
	}
	var id int64
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy: func(s *terraform.State) error {
			if _, err := api.GetProject(ctx, id); !client.IsNotFound(err) {
				return fmt.Errorf("project %d: want 404 after destroy, got %v", id, err)
			}
			return nil
		},
		Steps: afterFirst([]resource.TestStep{
			{
				Config: cfg(name, "first"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("name"), knownvalue.StringExact(name)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("description"), knownvalue.StringExact("first")),
				},
				Check: func(s *terraform.State) error {
					id = stateID(s, addr)
					p, err := api.GetProject(ctx, id)
					if err != nil || p.Name != name || p.Description != "first" {
						return fmt.Errorf("server has %+v, %v", p, err)
					}
					return nil
				},
			},
			{ // rename (where the server can) and describe: in place
				Config: cfg(renamed, "second"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				Check: func(s *terraform.State) error {
					p, err := api.GetProject(ctx, id)
					if err != nil || p.Name != renamed || p.Description != "second" {
						return fmt.Errorf("server has %+v, %v", p, err)
					}
					return nil
				},
			},
			{ResourceName: addr, ImportState: true, ImportStateVerify: true},
			{ // changed outside Terraform: the plan shows it
				PreConfig: func() {
					if _, err := api.UpdateProject(ctx, id, client.ProjectInput{Name: renamed, Description: "by hand"}); err != nil {
						t.Fatal(err)
					}
				},
				Config: cfg(renamed, "second"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("description"), knownvalue.StringExact("second")),
				}},
			},
			{ // deleted outside Terraform: re-created
				PreConfig: func() {
					if err := api.DeleteProject(ctx, id); err != nil {
						t.Fatal(err)
					}
				},
				Config: cfg(renamed, "second"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
				}},
				Check: func(s *terraform.State) error { id = stateID(s, addr); return nil },
			},
		}, rockOnly(t, renameRefused)...),
	})
}

// rockOnly returns the steps on the rock dialect, nothing elsewhere.
func rockOnly(t *testing.T, steps ...resource.TestStep) []resource.TestStep {
	if !acctest.IsRock(t) {
		return nil
	}
	return steps
}

// afterFirst inserts steps after the first one (which makes the record).
func afterFirst(steps []resource.TestStep, extra ...resource.TestStep) []resource.TestStep {
	out := append([]resource.TestStep{steps[0]}, extra...)
	return append(out, steps[1:]...)
}

// A project that still has an app, and a cluster that still has an
// environment, are not deleted: the contract refuses with 409, the
// re-implementation would delete them and orphan the rest (204), so there
// the provider refuses itself. Either way the diagnostic says that it is
// still in use, nothing is deleted, and once the rest is gone the destroy
// goes through.
func TestAccProject_inUse(t *testing.T) {
	r := stackRecords(t)
	name := acctest.Name("inuse")
	cfg := fmt.Sprintf(`
resource "galaxias_project" "p" {
  name = %q
}
resource "galaxias_cluster" "c" {
  name   = %q
  config = %q
}`, name, name, rtKubeconfig(name))
	var projectID, clusterID int64
	var app *client.App
	var env *client.Env
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if _, err := r.api.GetProject(r.ctx, projectID); !client.IsNotFound(err) {
				return fmt.Errorf("project %d: want 404 after destroy, got %v", projectID, err)
			}
			if _, err := r.api.GetCluster(r.ctx, clusterID); !client.IsNotFound(err) {
				return fmt.Errorf("cluster %d: want 404 after destroy, got %v", clusterID, err)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{Config: cfg, Check: func(s *terraform.State) error {
				projectID, clusterID = stateID(s, "galaxias_project.p"), stateID(s, "galaxias_cluster.c")
				return nil
			}},
			{
				PreConfig: func() {
					app = must[*client.App](t)(r.api.CreateApp(r.ctx, client.AppInput{ProjectID: projectID, Name: "made-by-hand"}))
					env = must[*client.Env](t)(r.api.CreateEnv(r.ctx, client.EnvInput{ClusterID: clusterID, Namespace: "made-by-hand"}))
				},
				Config: "# nothing",
				// Both, in whatever order Terraform reports them.
				ExpectError: regexp.MustCompile(
					rtWords("Failed to delete galaxias_project: it is still in use", "Failed to delete galaxias_cluster: it is still in use").String() + "|" +
						rtWords("Failed to delete galaxias_cluster: it is still in use", "Failed to delete galaxias_project: it is still in use").String()),
			},
			{
				PreConfig: func() {
					if _, err := r.api.GetApp(r.ctx, app.ID); err != nil {
						t.Fatalf("the app was not kept: %v", err)
					}
					if _, err := r.api.GetEnv(r.ctx, env.ID); err != nil {
						t.Fatalf("the environment was not kept: %v", err)
					}
					if err := r.api.DeleteApp(r.ctx, app.ID); err != nil {
						t.Fatal(err)
					}
					if err := r.api.DeleteEnv(r.ctx, env.ID); err != nil {
						t.Fatal(err)
					}
				},
				Config: "# nothing",
			},
		},
	})
}
