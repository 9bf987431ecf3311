package galaxias_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/acctest"
)

// refreshHCL is two projects with apps and project-environments, and a
// cluster with environments: five parents.
func refreshHCL(prefix string) string {
	var b strings.Builder
	b.WriteString(rtClusterHCL(prefix + "-c"))
	fmt.Fprintf(&b, `
resource "galaxias_project" "p" {
  count = 2
  name  = "%s-p${count.index}"
}
resource "galaxias_environment" "e" {
  count      = 4
  cluster_id = galaxias_cluster.c.id
  namespace  = "%s-e${count.index}"
}
resource "galaxias_app" "a" {
  count      = 6
  project_id = galaxias_project.p[count.index %% 2].id
  name       = "%s-a${count.index}"
}
resource "galaxias_project_environment" "pe" {
  count          = 4
  project_id     = galaxias_project.p[count.index %% 2].id
  environment_id = galaxias_environment.e[count.index].id
  name           = "%s-pe${count.index}"
}
`, prefix, prefix, prefix, prefix)
	return b.String()
}

// refreshIDs are the server ids of refreshHCL's records, from state.
type refreshIDs struct {
	cluster  int64
	projects []int64
	envs     []int64
	apps     []int64
	pes      []int64
}

func (ids *refreshIDs) save(s *terraform.State) error {
	*ids = refreshIDs{cluster: stateID(s, "galaxias_cluster.c")}
	for i := range 2 {
		ids.projects = append(ids.projects, stateID(s, fmt.Sprintf("galaxias_project.p.%d", i)))
	}
	for i := range 4 {
		ids.envs = append(ids.envs, stateID(s, fmt.Sprintf("galaxias_environment.e.%d", i)))
		ids.pes = append(ids.pes, stateID(s, fmt.Sprintf("galaxias_project_environment.pe.%d", i)))
	}
	for i := range 6 {
		ids.apps = append(ids.apps, stateID(s, fmt.Sprintf("galaxias_app.a.%d", i)))
	}
	return nil
}

// reads returns the GET requests of sent that read these records or list
// their parents, as "GET /path" → count.
func (ids *refreshIDs) reads(sent map[string]int) map[string]int {
	mine := map[string]bool{fmt.Sprintf("/v1/clusters/%d/envs", ids.cluster): true}
	for _, p := range ids.projects {
		mine[fmt.Sprintf("/v1/projects/%d/apps", p)] = true
		mine[fmt.Sprintf("/v1/projects/%d/project-envs", p)] = true
	}
	for _, id := range ids.envs {
		mine[fmt.Sprintf("/v1/envs/%d", id)] = true
	}
	for _, id := range ids.apps {
		mine[fmt.Sprintf("/v1/apps/%d", id)] = true
	}
	for i, id := range ids.pes {
		mine[fmt.Sprintf("/v1/projects/%d/project-envs/%d", ids.projects[i%2], id)] = true
	}
	out := map[string]int{}
	for k, n := range sent {
		if path, ok := strings.CutPrefix(k, "GET "); ok && mine[path] {
			out[path] = n
		}
	}
	return out
}

// A refresh reads the apps and project-environments of each project and
// the environments of the cluster with one list request per parent (five
// here, for 14 records), counted by the server; an out-of-band delete costs
// one confirming read and an out-of-band change is seen as before.
func TestAccRefresh_oneListPerParent(t *testing.T) {
	acctest.PreCheckGalaxias(t)
	api := acctest.Galaxias(t)
	ctx := context.Background()
	cfg := refreshHCL(acctest.Name("rf"))
	var ids refreshIDs
	var before map[string]int
	snapshot := func() { before = acctest.GalaxiasRequests(t) }
	lists := func() map[string]int {
		want := map[string]int{fmt.Sprintf("/v1/clusters/%d/envs", ids.cluster): 1}
		for _, p := range ids.projects {
			want[fmt.Sprintf("/v1/projects/%d/apps", p)] = 1
			want[fmt.Sprintf("/v1/projects/%d/project-envs", p)] = 1
		}
		return want
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg, Check: ids.save},
			{ // a refresh with nothing changed: one list per parent, no single read
				PreConfig:    snapshot,
				RefreshState: true,
				Check: func(*terraform.State) error {
					return acctest.CompareCounts(ids.reads(acctest.RequestsSince(before, acctest.GalaxiasRequests(t))), lists())
				},
				RefreshPlanChecks: resource.RefreshPlanChecks{PostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{ // an app deleted and an environment changed outside Terraform
				PreConfig: func() {
					if err := api.DeleteApp(ctx, ids.apps[3]); err != nil {
						t.Fatal(err)
					}
					if _, err := api.UpdateEnv(ctx, ids.envs[2], client.EnvInput{Description: "changed outside"}); err != nil {
						t.Fatal(err)
					}
					snapshot()
				},
				RefreshState:       true,
				ExpectNonEmptyPlan: true,
				Check: resource.ComposeTestCheckFunc(
					func(s *terraform.State) error {
						want := lists()
						want[fmt.Sprintf("/v1/apps/%d", ids.apps[3])] = 1 // missing from its list: confirmed
						if _, ok := s.RootModule().Resources["galaxias_app.a.3"]; ok {
							return fmt.Errorf("galaxias_app.a[3] is still in state after it was deleted outside Terraform")
						}
						return acctest.CompareCounts(ids.reads(acctest.RequestsSince(before, acctest.GalaxiasRequests(t))), want)
					},
					resource.TestCheckResourceAttr("galaxias_environment.e.2", "description", "changed outside"),
				),
				RefreshPlanChecks: resource.RefreshPlanChecks{PostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("galaxias_app.a[3]", plancheck.ResourceActionCreate),
					plancheck.ExpectResourceAction("galaxias_environment.e[2]", plancheck.ResourceActionUpdate),
				}},
			},
			{ // the next apply converges
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
	})
}
