package galaxias_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/galaxias/terraform-provider-galaxias/internal/testing/acctest"
)

// userReads returns the requests of sent that read users: the user list
// and the reads of ids, as "GET /path" → count.
func userReads(sent map[string]int, ids []int64) map[string]int {
	mine := map[string]bool{"GET /v1/users": true}
	for _, id := range ids {
		mine[fmt.Sprintf("GET /v1/users/%d", id)] = true
	}
	out := map[string]int{}
	for k, n := range sent {
		if mine[k] {
			out[k] = n
		}
	}
	return out
}

// usersHCL is a user per key, galaxias_user.u<key>.
func usersHCL(prefix string, keys ...string) string {
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, `
resource "galaxias_user" "u%s" {
  name        = "%s-%s"
  email       = "%s-%s@example.com"
  role        = "developer"
  password_wo = "Demo-secret-1"
}
`, k, prefix, k, prefix, k)
	}
	return b.String()
}

// A refresh of N users reads them from one user list (however many pages
// it has), shared by every user of the refresh, on both dialects; on the
// re-implementation each read used to cost its own read and one more list
// to tell a deleted user. A user deleted outside Terraform is missing from
// the list: its own read confirms it (and, on the re-implementation, which
// still answers a deleted user by id, the list by its name), and it leaves
// the state.
func TestAccRefresh_usersOneList(t *testing.T) {
	acctest.PreCheckGalaxias(t)
	api := acctest.Galaxias(t)
	ctx := context.Background()
	rock := acctest.IsRock(t)
	keys := []string{"0", "1", "2", "3"}
	prefix := acctest.Name("ur")
	cfg := usersHCL(prefix, keys...)
	var ids []int64
	save := func(s *terraform.State) error {
		ids = nil
		for _, k := range keys {
			ids = append(ids, stateID(s, "galaxias_user.u"+k))
		}
		return nil
	}
	var before map[string]int
	var pages int
	// snapshot counts the requests one listing of every user costs now
	// (with the test's own client), then the server's counters.
	snapshot := func() {
		start := acctest.GalaxiasRequests(t)
		if _, err := api.ListUsers(ctx, ""); err != nil {
			t.Fatal(err)
		}
		pages = acctest.RequestsSince(start, acctest.GalaxiasRequests(t))["GET /v1/users"]
		if pages < 1 {
			t.Fatalf("listing the users took %d requests", pages)
		}
		before = acctest.GalaxiasRequests(t)
	}
	// deletedReads checks the reads of the refresh that found ids[2] deleted.
	deletedReads := func() error {
		want := map[string]int{"GET /v1/users": pages, fmt.Sprintf("GET /v1/users/%d", ids[2]): 1}
		if rock {
			want["GET /v1/users"]++ // still answered by id: the list by its name says it is gone
		}
		return acctest.CompareCounts(userReads(acctest.RequestsSince(before, acctest.GalaxiasRequests(t)), ids), want)
	}
	deleted := resource.TestStep{ // a user deleted outside Terraform
		PreConfig: func() {
			if err := api.DeleteUser(ctx, ids[2]); err != nil {
				t.Fatal(err)
			}
			snapshot()
		},
		RefreshState: true,
	}
	if rock {
		// The refresh removes it, and the configuration, which still has
		// it, is refused: its name can never be used again there.
		deleted.ExpectError = regexp.MustCompile(`belongs to a deleted user`)
	} else {
		deleted.ExpectNonEmptyPlan = true
		deleted.Check = func(s *terraform.State) error {
			if _, ok := s.RootModule().Resources["galaxias_user.u2"]; ok {
				return fmt.Errorf("galaxias_user.u2 is still in state after it was deleted outside Terraform")
			}
			return deletedReads()
		}
		deleted.RefreshPlanChecks = resource.RefreshPlanChecks{PostRefresh: []plancheck.PlanCheck{
			plancheck.ExpectResourceAction("galaxias_user.u2", plancheck.ResourceActionCreate),
		}}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg, Check: save},
			{ // nothing changed: one list, no read by id
				PreConfig:    snapshot,
				RefreshState: true,
				Check: func(*terraform.State) error {
					got := userReads(acctest.RequestsSince(before, acctest.GalaxiasRequests(t)), ids)
					return acctest.CompareCounts(got, map[string]int{"GET /v1/users": pages})
				},
				RefreshPlanChecks: resource.RefreshPlanChecks{PostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			deleted,
			{ // without the deleted user in the configuration, nothing to do
				PreConfig: func() {
					if rock { // the refresh failed after its reads: count them now
						if err := deletedReads(); err != nil {
							t.Error(err)
						}
					}
				},
				Config:           usersHCL(prefix, "0", "1", "3"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
}
