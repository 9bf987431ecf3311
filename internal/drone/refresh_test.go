package drone_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/galaxias/terraform-provider-galaxias/internal/testing/acctest"
)

// refreshConfig is three secrets in each of two repositories, two
// organisation secrets and two cron jobs: four parents for ten objects.
func refreshConfig(server, repo1, repo2, ns, orgPrefix string) string {
	return fmt.Sprintf(`
provider "drone" {
  server = %q
}
locals {
  repos = [%q, %q]
}
resource "drone_secret" "s" {
  count      = 6
  repository = local.repos[count.index %% 2]
  name       = "refresh_${count.index}"
  value      = "v${count.index}"
}
resource "drone_orgsecret" "o" {
  count     = 2
  namespace = %q
  name      = "%s_${count.index}"
  value     = "o${count.index}"
}
resource "drone_cron" "c" {
  count      = 2
  repository = local.repos[0]
  name       = "refresh-${count.index}"
  expr       = "0 0 ${count.index + 1} * * *"
}
`, server, repo1, repo2, ns, orgPrefix)
}

// droneReads returns the GET requests among calls that read one object
// (a path below a list) or a list of mine, "METHOD /path" → count.
func droneReads(calls []string, mine func(path string) bool) map[string]int {
	out := map[string]int{}
	for _, c := range calls {
		if path, ok := strings.CutPrefix(c, http.MethodGet+" "); ok && mine(path) {
			out[path]++
		}
	}
	return out
}

// A refresh reads the secrets of each repository, the organisation's
// secrets and a repository's cron jobs with one list request per parent
// (counted by a proxy in front of the real Drone); an out-of-band delete
// costs one confirming read and an out-of-band change is seen as before.
func TestAccRefresh_oneListPerParent(t *testing.T) {
	acctest.PreCheck(t)
	repo1, repo2 := activeRepo(t), activeRepo(t)
	ns := acctest.Env(t, "GITEA_USER")
	orgPrefix := strings.ReplaceAll(acctest.Name("rf"), "-", "_")
	for i := range 2 {
		acctest.CleanupDrone(t, acctest.DronePath(t, "api", "secrets", ns, fmt.Sprintf("%s_%d", orgPrefix, i)))
	}
	rec := acctest.DroneRecorder(t)
	cfg := refreshConfig(rec.URL, repo1, repo2, ns, orgPrefix)

	lists := map[string]int{
		acctest.DronePath(t, "api", "repos", strings.Split(repo1, "/")[0], strings.Split(repo1, "/")[1], "secrets"): 1,
		acctest.DronePath(t, "api", "repos", strings.Split(repo2, "/")[0], strings.Split(repo2, "/")[1], "secrets"): 1,
		acctest.DronePath(t, "api", "secrets", ns): 1,
		cronPath(t, repo1):                         1,
	}
	// mine: the four lists and every object below them.
	mine := func(path string) bool {
		for l := range lists {
			if path == l || strings.HasPrefix(path, l+"/") && !strings.HasPrefix(path, acctest.DronePath(t, "api", "secrets", ns)+"/") {
				return true
			}
		}
		return strings.HasPrefix(path, acctest.DronePath(t, "api", "secrets", ns, orgPrefix))
	}
	want := func(extra ...string) map[string]int {
		out := map[string]int{}
		for k, v := range lists {
			out[k] = v
		}
		for _, p := range extra {
			out[p]++
		}
		return out
	}
	gone := secretPath(t, repo2, "refresh_3")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg},
			{ // nothing changed: one list per parent, no single read
				PreConfig:    rec.Reset,
				RefreshState: true,
				Check: func(*terraform.State) error {
					return acctest.CompareCounts(droneReads(rec.Calls(), mine), want())
				},
				RefreshPlanChecks: resource.RefreshPlanChecks{PostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{ // a secret deleted and a cron job changed outside Terraform
				PreConfig: func() {
					acctest.DroneDo(t, http.MethodDelete, gone, nil, nil)
					acctest.DroneDo(t, http.MethodPatch, cronPath(t, repo1, "refresh-1"), map[string]any{"disabled": true}, nil)
					rec.Reset()
				},
				RefreshState:       true,
				ExpectNonEmptyPlan: true,
				Check: resource.ComposeTestCheckFunc(
					func(s *terraform.State) error {
						if _, ok := s.RootModule().Resources["drone_secret.s.3"]; ok {
							return fmt.Errorf("drone_secret.s[3] is still in state after it was deleted outside Terraform")
						}
						return acctest.CompareCounts(droneReads(rec.Calls(), mine), want(gone)) // missing from its list: confirmed
					},
					resource.TestCheckResourceAttr("drone_cron.c.1", "disabled", "true"),
				),
				RefreshPlanChecks: resource.RefreshPlanChecks{PostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("drone_secret.s[3]", plancheck.ResourceActionCreate),
					plancheck.ExpectResourceAction("drone_cron.c[1]", plancheck.ResourceActionUpdate),
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

func secretPath(t *testing.T, slug, name string) string {
	owner, repo, _ := strings.Cut(slug, "/")
	return acctest.DronePath(t, "api", "repos", owner, repo, "secrets", name)
}
