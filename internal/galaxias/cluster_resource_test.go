package galaxias_test

import (
	"context"
	"encoding/json"
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
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/galaxias/terraform-provider-galaxias/internal/acctest"
	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
)

// rtKubeconfig returns a small kubeconfig whose text holds marker, so that
// tests can look for it in plans and state.
func rtKubeconfig(marker string) string {
	return fmt.Sprintf(`apiVersion: v1
kind: Config
clusters:
  - name: k
    cluster:
      server: https://%s.example.com:6443
users:
  - name: u
    user:
      token: %s
contexts:
  - name: c
    context: {cluster: k, user: u}
current-context: c
`, marker, marker)
}

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

// rtClusterHas checks the cluster's record on the server.
func rtClusterHas(api *client.Client, id *int64, name, desc, config string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		c, err := api.GetCluster(context.Background(), *id)
		if err != nil {
			return err
		}
		if c.Name != name || c.Description != desc || c.Config != config {
			return fmt.Errorf("server has cluster %d name=%q description=%q config=%q; want %q, %q, %q",
				c.ID, c.Name, c.Description, c.Config, name, desc, config)
		}
		return nil
	}
}

func TestAccCluster_config(t *testing.T) {
	acctest.PreCheckGalaxias(t)
	api := acctest.Galaxias(t)
	ctx := context.Background()
	name := acctest.Name("cl")
	addr := "galaxias_cluster.c"
	kc1, kc2, kcHand := rtKubeconfig("kc-one"), rtKubeconfig("kc-two"), rtKubeconfig("kc-by-hand")
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
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("config_wo"), knownvalue.Null()),
				},
				Check: resource.ComposeTestCheckFunc(
					func(s *terraform.State) error { id = stateID(s, addr); return nil },
					rtClusterHas(api, &id, name, "first", kc1),
				),
			},
			{ // every updatable field, in place
				Config: cfg(name+"-x", "second", kc2),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
						plancheck.ExpectSensitiveValue(addr, tfjsonpath.New("config")),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: rtClusterHas(api, &id, name+"-x", "second", kc2),
			},
			{
				ResourceName: addr, ImportState: true, ImportStateVerify: true,
				// An import knows only the id, so it cannot tell whether the
				// kubeconfig will be managed with `config` or with the
				// write-only `config_wo`; it leaves `config` unset rather than
				// copy the secret into the state of a config_wo user.
				ImportStateVerifyIgnore: []string{"config"},
			},
			{ // the kubeconfig changed outside Terraform: the plan puts it back
				PreConfig: func() {
					if _, err := api.UpdateCluster(ctx, id, client.ClusterInput{Name: name + "-x", Description: "second", Config: kcHand}); err != nil {
						t.Fatal(err)
					}
				},
				Config: cfg(name+"-x", "second", kc2),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectSensitiveValue(addr, tfjsonpath.New("config")),
				}},
				Check: rtClusterHas(api, &id, name+"-x", "second", kc2),
			},
			{ // the description changed outside Terraform
				PreConfig: func() {
					if _, err := api.UpdateCluster(ctx, id, client.ClusterInput{Name: name + "-x", Description: "by hand", Config: kc2}); err != nil {
						t.Fatal(err)
					}
				},
				Config: cfg(name+"-x", "second", kc2),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("description"), knownvalue.StringExact("second")),
				}},
				Check: rtClusterHas(api, &id, name+"-x", "second", kc2),
			},
			{ // deleted outside Terraform: re-created
				PreConfig: func() {
					if err := api.DeleteCluster(ctx, id); err != nil {
						t.Fatal(err)
					}
				},
				Config: cfg(name+"-x", "second", kc2),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
				}},
				Check: resource.ComposeTestCheckFunc(
					func(s *terraform.State) error { id = stateID(s, addr); return nil },
					rtClusterHas(api, &id, name+"-x", "second", kc2),
				),
			},
		},
	})
}

func TestAccCluster_writeOnly(t *testing.T) {
	acctest.PreCheckGalaxias(t)
	api := acctest.Galaxias(t)
	ctx := context.Background()
	name := acctest.Name("clwo")
	addr := "galaxias_cluster.c"
	cfg := func(desc, marker string, version int) string {
		return fmt.Sprintf(`
resource "galaxias_cluster" "c" {
  name              = %q
  description       = %q
  config_wo         = %q
  config_wo_version = %d
}`, name, desc, rtKubeconfig(marker), version)
	}
	var id int64
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		CheckDestroy: func(*terraform.State) error {
			if _, err := api.GetCluster(ctx, id); !client.IsNotFound(err) {
				return fmt.Errorf("cluster %d: want 404 after destroy, got %v", id, err)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: cfg("wo", "wo-one", 1),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
					rtPlanLacks{"wo-one"},
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("config"), knownvalue.Null()),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("config_wo"), knownvalue.Null()),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("config_wo_version"), knownvalue.Int64Exact(1)),
				},
				Check: resource.ComposeTestCheckFunc(
					func(s *terraform.State) error { id = stateID(s, addr); return nil },
					rtStateLacks(addr, "wo-one"),
					rtClusterHas(api, &id, name, "wo", rtKubeconfig("wo-one")),
				),
			},
			{ // a new value under the same version is not sent
				Config: cfg("wo", "wo-two", 1),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				Check: rtClusterHas(api, &id, name, "wo", rtKubeconfig("wo-one")),
			},
			{ // bumping the version sends it, in place
				Config: cfg("wo", "wo-two", 2),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					rtPlanLacks{"wo-two"},
				}},
				Check: resource.ComposeTestCheckFunc(
					rtStateLacks(addr, "wo-two"),
					rtClusterHas(api, &id, name, "wo", rtKubeconfig("wo-two")),
				),
			},
			{ // the description alone: the kubeconfig on the server is kept
				Config: cfg("wo changed", "wo-two", 2),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				Check: rtClusterHas(api, &id, name, "wo changed", rtKubeconfig("wo-two")),
			},
			{
				ResourceName: addr, ImportState: true, ImportStateVerify: true,
				// config_wo_version exists only in the configuration: Galaxias
				// has no such field, so an import cannot know it.
				ImportStateVerifyIgnore: []string{"config_wo_version"},
			},
			{ // changed outside Terraform
				PreConfig: func() {
					if _, err := api.UpdateCluster(ctx, id, client.ClusterInput{Name: name, Description: "by hand", Config: rtKubeconfig("wo-two")}); err != nil {
						t.Fatal(err)
					}
				},
				Config: cfg("wo changed", "wo-two", 2),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("description"), knownvalue.StringExact("wo changed")),
				}},
				Check: rtClusterHas(api, &id, name, "wo changed", rtKubeconfig("wo-two")),
			},
			{ // deleted outside Terraform: re-created with the write-only value
				PreConfig: func() {
					if err := api.DeleteCluster(ctx, id); err != nil {
						t.Fatal(err)
					}
				},
				Config: cfg("wo changed", "wo-two", 2),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
				}},
				Check: resource.ComposeTestCheckFunc(
					func(s *terraform.State) error { id = stateID(s, addr); return nil },
					rtStateLacks(addr, "wo-two"),
					rtClusterHas(api, &id, name, "wo changed", rtKubeconfig("wo-two")),
				),
			},
			{ // from config_wo to config: in place, the new kubeconfig is sent
				Config: fmt.Sprintf(`
resource "galaxias_cluster" "c" {
  name        = %q
  description = "wo changed"
  config      = %q
}`, name, rtKubeconfig("kept-three")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectSensitiveValue(addr, tfjsonpath.New("config"))},
				Check:             rtClusterHas(api, &id, name, "wo changed", rtKubeconfig("kept-three")),
			},
			{ // and back to config_wo: the kubeconfig leaves the state
				Config: cfg("wo changed", "wo-four", 3),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					rtPlanLacks{"wo-four"},
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("config"), knownvalue.Null()),
				},
				Check: resource.ComposeTestCheckFunc(
					rtStateLacks(addr, "wo-four"), rtStateLacks(addr, "kept-three"),
					rtClusterHas(api, &id, name, "wo changed", rtKubeconfig("wo-four")),
				),
			},
		},
	})
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
