package galaxias_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/acctest"
)

// rtKubeconfig returns a kubeconfig the stack's server accepts whose text
// holds marker, so that tests can look for it in plans and state.
func rtKubeconfig(marker string) string { return acctest.KubeconfigFor(marker) }

// rtPlanLacks fails when text appears in the planned changes or values of
// the plan (its JSON form, which holds even the sensitive values): write-only
// values never reach them. (The plan's "configuration" part echoes literal
// expressions of the configuration, so it is not searched.)
type rtPlanLacks struct{ text string }

func (c rtPlanLacks) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	b, err := json.Marshal([]any{req.Plan.ResourceChanges, req.Plan.PlannedValues, req.Plan.PriorState, req.Plan.ResourceDrift})
	if err != nil {
		resp.Error = err
		return
	}
	if strings.Contains(string(b), c.text) {
		resp.Error = fmt.Errorf("the plan holds %q", c.text)
	}
}

// rtStateLacks fails when text appears in any attribute of addr in state.
func rtStateLacks(addr, text string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[addr]
		if !ok {
			return fmt.Errorf("%s not in state", addr)
		}
		for k, v := range rs.Primary.Attributes {
			if strings.Contains(v, text) {
				return fmt.Errorf("state attribute %s of %s holds %q", k, addr, text)
			}
		}
		return nil
	}
}

// rtClusterHas checks the cluster's record on the server. The
// re-implementation never answers the kubeconfig; there it checks that
// none is answered (so the provider could not have read it back).
func rtClusterHas(api *client.Client, id *int64, name, desc, config string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		c, err := api.GetCluster(context.Background(), *id)
		if err != nil {
			return err
		}
		if c.Name != name || c.Description != desc {
			return fmt.Errorf("server has cluster %d name=%q description=%q; want %q, %q", c.ID, c.Name, c.Description, name, desc)
		}
		rock := os.Getenv("GALAXIAS_DIALECT") == acctest.DialectRock
		if rock && c.HasConfig || !rock && c.Config != config {
			return fmt.Errorf("server answers cluster %d with config=%q (answered: %v); want %q", c.ID, c.Config, c.HasConfig, config)
		}
		return nil
	}
}

func TestAccCluster_config(t *testing.T) {
	acctest.PreCheckGalaxias(t)
	api := acctest.Galaxias(t)
	ctx := context.Background()
	name := acctest.Name("cl")
	renamed := name + "-x"
	if acctest.IsRock(t) {
		renamed = name // the re-implementation cannot rename (TestAccCluster_rename)
	}
	addr := "galaxias_cluster.c"
	kc1, kc2 := rtKubeconfig("kc-one"), rtKubeconfig("kc-two")
	cfg := func(name, desc, kc string) string {
		return fmt.Sprintf(`
resource "galaxias_cluster" "c" {
  name        = %q
  description = %q
  config      = %q
}`, name, desc, kc)
	}
	var id int64
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if _, err := api.GetCluster(ctx, id); !client.IsNotFound(err) {
				return fmt.Errorf("cluster %d: want 404 after destroy, got %v", id, err)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: cfg(name, "first", kc1),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
					// Sensitive: Terraform never renders it in a plan.
					plancheck.ExpectSensitiveValue(addr, tfjsonpath.New("config")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("name"), knownvalue.StringExact(name)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("description"), knownvalue.StringExact("first")),
					statecheck.ExpectSensitiveValue(addr, tfjsonpath.New("config")),
					// What was configured, also where the server never answers it.
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("config"), knownvalue.StringExact(kc1)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("config_wo"), knownvalue.Null()),
				},
				Check: resource.ComposeTestCheckFunc(
					func(s *terraform.State) error { id = stateID(s, addr); return nil },
					rtClusterHas(api, &id, name, "first", kc1),
				),
			},
			{ // every updatable field, in place; the kubeconfig is sent
				Config: cfg(renamed, "second", kc2),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
						plancheck.ExpectSensitiveValue(addr, tfjsonpath.New("config")),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("config"), knownvalue.StringExact(kc2)),
				},
				Check: rtClusterHas(api, &id, renamed, "second", kc2),
			},
			{
				ResourceName: addr, ImportState: true, ImportStateVerify: true,
				// An import knows only the id, so it cannot tell whether the
				// kubeconfig will be managed with `config` or with the
				// write-only `config_wo`; it leaves `config` unset rather than
				// copy the secret into the state of a config_wo user (and the
				// re-implementation never answers it).
				ImportStateVerifyIgnore: []string{"config"},
			},
			{ // the description changed outside Terraform (the server
				// requires the kubeconfig on every update)
				PreConfig: func() {
					if _, err := api.UpdateCluster(ctx, id, client.ClusterInput{Name: renamed, Description: "by hand", Config: kc2}); err != nil {
						t.Fatal(err)
					}
				},
				Config: cfg(renamed, "second", kc2),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("description"), knownvalue.StringExact("second")),
				}},
				Check: rtClusterHas(api, &id, renamed, "second", kc2),
			},
			{ // deleted outside Terraform: re-created
				PreConfig: func() {
					if err := api.DeleteCluster(ctx, id); err != nil {
						t.Fatal(err)
					}
				},
				Config: cfg(renamed, "second", kc2),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
				}},
				Check: resource.ComposeTestCheckFunc(
					func(s *terraform.State) error { id = stateID(s, addr); return nil },
					rtClusterHas(api, &id, renamed, "second", kc2),
				),
			},
		},
	})
}

// A kubeconfig changed outside Terraform shows as drift where the server
// answers it.
func TestAccCluster_configDrift(t *testing.T) {
	acctest.PreCheckGalaxias(t)
	acctest.SkipOnRock(t, "the re-implementation never answers a cluster's kubeconfig, so a change made outside "+
		"Terraform cannot be seen (documented on galaxias_cluster)")
	api := acctest.Galaxias(t)
	ctx := context.Background()
	name := acctest.Name("cld")
	addr := "galaxias_cluster.c"
	kc, kcHand := rtKubeconfig("kc-one"), rtKubeconfig("kc-by-hand")
	cfg := fmt.Sprintf(`
resource "galaxias_cluster" "c" {
  name   = %q
  config = %q
}`, name, kc)
	var id int64
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg, Check: func(s *terraform.State) error { id = stateID(s, addr); return nil }},
			{ // the kubeconfig changed outside Terraform: the plan puts it back
				PreConfig: func() {
					if _, err := api.UpdateCluster(ctx, id, client.ClusterInput{Name: name, Config: kcHand}); err != nil {
						t.Fatal(err)
					}
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectSensitiveValue(addr, tfjsonpath.New("config")),
				}},
				Check: rtClusterHas(api, &id, name, "", kc),
			},
		},
	})
}

// A new name: in place where the server renames clusters; an error at plan
// time where it cannot (the re-implementation), and nothing changes.
func TestAccCluster_rename(t *testing.T) {
	acctest.PreCheckGalaxias(t)
	api := acctest.Galaxias(t)
	name := acctest.Name("clr")
	addr := "galaxias_cluster.c"
	kc := rtKubeconfig("rename")
	cfg := func(name string) string {
		return fmt.Sprintf(`
resource "galaxias_cluster" "c" {
  name   = %q
  config = %q
}`, name, kc)
	}
	var id int64
	steps := []resource.TestStep{{Config: cfg(name), Check: func(s *terraform.State) error { id = stateID(s, addr); return nil }}}
	if acctest.IsRock(t) {
		steps = append(steps, resource.TestStep{
			Config: cfg(name + "-x"),
			ExpectError: rtWords("This Galaxias server cannot change name",
				"The record lives on the public re-implementation of Galaxias (API dialect \"rock\"), where "+
					"`PUT /v1/clusters/{id}` ignores `name`"),
		}, resource.TestStep{ // nothing was sent: the old name plans nothing
			Config:           cfg(name),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			Check:            rtClusterHas(api, &id, name, "", kc),
		})
	} else {
		steps = append(steps, resource.TestStep{
			Config: cfg(name + "-x"),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			Check: rtClusterHas(api, &id, name+"-x", "", kc),
		})
	}
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: acctest.ProviderFactories, Steps: steps})
}

// Plan-time validation needs no server.
func TestCluster_validation(t *testing.T) {
	kc := rtKubeconfig("v")
	cases := map[string]struct{ body, want string }{
		"no kubeconfig":    {``, `(?s)Exactly one of these attributes must be configured.*config`},
		"both kubeconfigs": {fmt.Sprintf("config = %q\nconfig_wo = %q", kc, kc), `(?s)config.*config_wo`},
		"invalid yaml":     {`config = "a: [1"`, `Invalid YAML in config`},
		"version without":  {fmt.Sprintf("config = %q\nconfig_wo_version = 1", kc), `config_wo`},
		"empty name":       {fmt.Sprintf("config = %q\nname = \"\"", kc), `(?s)name.*length`},
		"empty kubeconfig": {`config = ""`, `(?s)config.*length`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			body := tc.body
			if !strings.Contains(body, "name =") {
				body += "\nname = \"c\""
			}
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProviderFactories,
				TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
				Steps: []resource.TestStep{{
					Config:      "resource \"galaxias_cluster\" \"c\" {\n" + body + "\n}",
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(tc.want),
				}},
			})
		})
	}
}
