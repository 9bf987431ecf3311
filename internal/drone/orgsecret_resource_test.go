package drone_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/galaxias/terraform-provider-galaxias/internal/drone/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/acctest"
)

func getOrgSecret(t *testing.T, ns, name string) (*droneSecret, error) {
	var s droneSecret
	err := acctest.Drone(t).Do(context.Background(), http.MethodGet, acctest.DronePath(t, "api", "secrets", ns, name), nil, &s)
	return &s, err
}

func checkOrgSecret(t *testing.T, ns, name string, pr, push bool) resource.TestCheckFunc {
	return func(*terraform.State) error {
		s, err := getOrgSecret(t, ns, name)
		if err != nil {
			return err
		}
		if s.PullRequest != pr || s.PullRequestPush != push {
			return fmt.Errorf("drone has pull_request=%v pull_request_push=%v, want %v %v", s.PullRequest, s.PullRequestPush, pr, push)
		}
		return nil
	}
}

func orgSecretConfig(ns, name, body string) string {
	return fmt.Sprintf(`
resource "drone_orgsecret" "s" {
  namespace = %q
  name      = %q
%s
}
`, ns, name, body)
}

// orgSecretNames returns two unique secret names, deleted from Drone when the
// test ends whatever happened.
func orgSecretNames(t *testing.T, ns string) (string, string) {
	a, b := strings.ReplaceAll(acctest.Name("org_a"), "-", "_"), strings.ReplaceAll(acctest.Name("org_b"), "-", "_")
	acctest.CleanupDrone(t, acctest.DronePath(t, "api", "secrets", ns, a))
	acctest.CleanupDrone(t, acctest.DronePath(t, "api", "secrets", ns, b))
	return a, b
}

func TestAccOrgSecret_lifecycle(t *testing.T) {
	acctest.PreCheck(t)
	ns := acctest.Env(t, "GITEA_USER")
	name, other := orgSecretNames(t, ns)
	addr := "drone_orgsecret.s"

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			for _, n := range []string{name, other} {
				if _, err := getOrgSecret(t, ns, n); !client.IsNotFound(err) {
					return fmt.Errorf("org secret %s: want 404 after destroy, got %v", n, err)
				}
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: orgSecretConfig(ns, name, `  value = "v1"`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact(ns+"/"+name)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("namespace"), knownvalue.StringExact(ns)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("allow_on_pull_request"), knownvalue.Bool(false)),
				},
				Check: checkOrgSecret(t, ns, name, false, false),
			},
			{ // flags on, in place
				Config: orgSecretConfig(ns, name, `
  value                      = "v1"
  allow_on_pull_request      = true
  allow_push_on_pull_request = true`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				Check: checkOrgSecret(t, ns, name, true, true),
			},
			{ // and off again, with a new value
				Config: orgSecretConfig(ns, name, `  value = "v2"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				Check: checkOrgSecret(t, ns, name, false, false),
			},
			{
				ResourceName:            addr,
				ImportState:             true,
				ImportStateId:           ns + "/" + name,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"value"},
			},
			{ // deleted outside Terraform (e.g. in the UI): the plan re-creates it
				PreConfig: func() {
					acctest.DroneDo(t, http.MethodDelete, acctest.DronePath(t, "api", "secrets", ns, name), nil, nil)
				},
				Config: orgSecretConfig(ns, name, `  value = "v2"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
				}},
				Check: checkOrgSecret(t, ns, name, false, false),
			},
			{ // a flag changed outside Terraform shows in the plan
				PreConfig: func() {
					acctest.DroneDo(t, http.MethodPatch, acctest.DronePath(t, "api", "secrets", ns, name), map[string]bool{"pull_request_push": true}, nil)
				},
				Config: orgSecretConfig(ns, name, `  value = "v2"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("allow_push_on_pull_request"), knownvalue.Bool(false)),
				}},
				Check: checkOrgSecret(t, ns, name, false, false),
			},
			{ // a new name replaces it
				Config: orgSecretConfig(ns, other, `  value = "v2"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				Check: func(s *terraform.State) error {
					if _, err := getOrgSecret(t, ns, name); !client.IsNotFound(err) {
						return fmt.Errorf("old org secret still there: %v", err)
					}
					return checkOrgSecret(t, ns, other, false, false)(s)
				},
			},
		},
	})
}

// An org secret imported with namespace/name has its namespace in state: the
// next plan updates the value in place (Drone never returns it) instead of
// replacing the secret, which mavimo/drone did.
func TestAccOrgSecret_importThenPlan(t *testing.T) {
	acctest.PreCheck(t)
	ns := acctest.Env(t, "GITEA_USER")
	name, _ := orgSecretNames(t, ns)
	acctest.DroneDo(t, http.MethodPost, acctest.DronePath(t, "api", "secrets", ns), map[string]any{"name": name, "data": "made-in-ui", "pull_request": true}, nil)
	cfg := orgSecretConfig(ns, name, `
  value                 = "from-terraform"
  allow_on_pull_request = true`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:             cfg,
				ResourceName:       "drone_orgsecret.s",
				ImportState:        true,
				ImportStateId:      ns + "/" + name,
				ImportStatePersist: true,
			},
			{
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("drone_orgsecret.s", plancheck.ResourceActionUpdate),
				}},
				Check: checkOrgSecret(t, ns, name, true, false),
			},
		},
	})
}

func TestAccOrgSecret_writeOnly(t *testing.T) {
	acctest.PreCheck(t)
	ns := acctest.Env(t, "GITEA_USER")
	name, _ := orgSecretNames(t, ns)
	addr := "drone_orgsecret.s"
	cfg := func(v int) string {
		return orgSecretConfig(ns, name, fmt.Sprintf("  value_wo = \"wo-secret-%d\"\n  value_wo_version = %d", v, v))
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		Steps: []resource.TestStep{
			{
				Config: cfg(1),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("value_wo"), knownvalue.Null()),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("value"), knownvalue.Null()),
				},
				Check: checkOrgSecret(t, ns, name, false, false),
			},
			{
				Config: cfg(2),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				Check: func(s *terraform.State) error {
					for k, v := range s.RootModule().Resources[addr].Primary.Attributes {
						if strings.Contains(v, "wo-secret") {
							return fmt.Errorf("write-only value in state attribute %s", k)
						}
					}
					return nil
				},
			},
		},
	})
}
