package galaxias_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/acctest"
)

// rtClusterHCL is a galaxias_cluster "c" named name, for the resources that
// need one.
func rtClusterHCL(name string) string {
	return fmt.Sprintf(`
resource "galaxias_cluster" "c" {
  name   = %q
  config = %q
}
`, name, rtKubeconfig(name))
}

// rtWords matches the phrases in order, each word separated by any
// whitespace, as Terraform wraps long error messages.
func rtWords(phrases ...string) *regexp.Regexp {
	parts := make([]string, len(phrases))
	for i, p := range phrases {
		words := strings.Fields(p)
		for j, w := range words {
			words[j] = regexp.QuoteMeta(w)
		}
		parts[i] = strings.Join(words, `\s+`)
	}
	return regexp.MustCompile(`(?s)` + strings.Join(parts, ".*"))
}

// rtEnvHas checks the env's record on the server.
func rtEnvHas(api *client.Client, id *int64, clusterAddr, namespace, desc string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		e, err := api.GetEnv(context.Background(), *id)
		if err != nil {
			return err
		}
		if cid := stateID(s, clusterAddr); e.ClusterID != cid || e.Namespace != namespace || e.Description != desc {
			return fmt.Errorf("server has env %d cluster=%d namespace=%q description=%q; want %d, %q, %q",
				e.ID, e.ClusterID, e.Namespace, e.Description, cid, namespace, desc)
		}
		return nil
	}
}

func TestAccEnvironment_lifecycle(t *testing.T) {
	acctest.PreCheckGalaxias(t)
	api := acctest.Galaxias(t)
	ctx := context.Background()
	cluster := acctest.Name("envcl")
	addr := "galaxias_environment.e"
	cfg := func(ns, desc string) string {
		return rtClusterHCL(cluster) + fmt.Sprintf(`
resource "galaxias_environment" "e" {
  cluster_id  = galaxias_cluster.c.id
  namespace   = %q
  description = %q
}`, ns, desc)
	}
	var id, clusterID, oldID int64
	saveID := func(s *terraform.State) error {
		id, clusterID = stateID(s, addr), stateID(s, "galaxias_cluster.c")
		return nil
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if _, err := api.GetEnv(ctx, id); !client.IsNotFound(err) {
				return fmt.Errorf("env %d: want 404 after destroy, got %v", id, err)
			}
			if _, err := api.GetCluster(ctx, clusterID); !client.IsNotFound(err) {
				return fmt.Errorf("cluster %d: want 404 after destroy, got %v", clusterID, err)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: cfg("team-a", "first"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("namespace"), knownvalue.StringExact("team-a")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("description"), knownvalue.StringExact("first")),
					statecheck.CompareValuePairs(addr, tfjsonpath.New("cluster_id"), "galaxias_cluster.c", tfjsonpath.New("id"), compare.ValuesSame()),
				},
				Check: resource.ComposeTestCheckFunc(saveID, rtEnvHas(api, &id, "galaxias_cluster.c", "team-a", "first")),
			},
			{ // description: in place
				Config: cfg("team-a", "second"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: rtEnvHas(api, &id, "galaxias_cluster.c", "team-a", "second"),
			},
			{ResourceName: addr, ImportState: true, ImportStateVerify: true},
			{ // namespace: replaced
				PreConfig: func() { oldID = id },
				Config:    cfg("team-b", "second"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				Check: resource.ComposeTestCheckFunc(saveID, rtEnvHas(api, &id, "galaxias_cluster.c", "team-b", "second"),
					func(*terraform.State) error {
						if _, err := api.GetEnv(ctx, oldID); !client.IsNotFound(err) {
							return fmt.Errorf("old env %d: want 404, got %v", oldID, err)
						}
						return nil
					}),
			},
			{ // changed outside Terraform: the plan shows it
				PreConfig: func() {
					if _, err := api.UpdateEnv(ctx, id, client.EnvInput{Description: "by hand"}); err != nil {
						t.Fatal(err)
					}
				},
				Config: cfg("team-b", "second"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("description"), knownvalue.StringExact("second")),
				}},
				Check: rtEnvHas(api, &id, "galaxias_cluster.c", "team-b", "second"),
			},
			{ // deleted outside Terraform: re-created
				PreConfig: func() {
					if err := api.DeleteEnv(ctx, id); err != nil {
						t.Fatal(err)
					}
				},
				Config: cfg("team-b", "second"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
				}},
				Check: resource.ComposeTestCheckFunc(saveID, rtEnvHas(api, &id, "galaxias_cluster.c", "team-b", "second")),
			},
		},
	})
}

// A (cluster, namespace) pair that exists already: the server's message
// reaches the user, with a summary that says what it means however the
// server answered it (409 on the contract, 400 on the re-implementation).
func TestAccEnvironment_duplicate(t *testing.T) {
	acctest.PreCheckGalaxias(t)
	api := acctest.Galaxias(t)
	ctx := context.Background()
	cl, err := api.CreateCluster(ctx, client.ClusterInput{Name: acctest.Name("dupcl"), Config: rtKubeconfig("dup")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = api.DeleteCluster(ctx, cl.ID) })
	env, err := api.CreateEnv(ctx, client.EnvInput{ClusterID: cl.ID, Namespace: "taken"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = api.DeleteEnv(ctx, env.ID) }) // runs before the cluster's
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
resource "galaxias_environment" "e" {
  cluster_id = %d
  namespace  = "taken"
}`, cl.ID),
			ExpectError: rtWords("Failed to create galaxias_environment: it already exists", dupStatus(t), "already exist",
				"bring the existing record under Terraform with `terraform import`"),
		}},
	})
	envs, err := api.ListClusterEnvs(ctx, cl.ID)
	if err != nil || len(envs) != 1 {
		t.Fatalf("cluster %d has envs %+v (%v); want only the first", cl.ID, envs, err)
	}
}

// dupStatus is how the stack's server answers a duplicate.
func dupStatus(t *testing.T) string {
	if acctest.IsRock(t) {
		return "400 Bad Request"
	}
	return "409 Conflict"
}

// Namespaces are checked at plan time, naming the attribute.
func TestEnvironment_namespaceValidation(t *testing.T) {
	for _, ns := range []string{"Bad_NS", "-x", "x-", strings.Repeat("a", 64), "", "a.b", "UPPER"} {
		t.Run(fmt.Sprintf("%q", ns), func(t *testing.T) {
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProviderFactories,
				Steps: []resource.TestStep{{
					Config: fmt.Sprintf(`
resource "galaxias_environment" "e" {
  cluster_id = 1
  namespace  = %q
}`, ns),
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(`Attribute namespace`),
				}},
			})
		})
	}
}
