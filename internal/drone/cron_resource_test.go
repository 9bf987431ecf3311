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

	"github.com/galaxias/terraform-provider-galaxias/internal/drone/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/acctest"
)

type droneCron struct {
	Name     string `json:"name"`
	Expr     string `json:"expr"`
	Event    string `json:"event"`
	Branch   string `json:"branch"`
	Target   string `json:"target"`
	Disabled bool   `json:"disabled"`
}

func cronPath(t testing.TB, slug string, name ...string) string {
	t.Helper()
	owner, repo, _ := strings.Cut(slug, "/")
	return acctest.DronePath(t, append([]string{"api", "repos", owner, repo, "cron"}, name...)...)
}

func getCron(t *testing.T, slug, name string) (*droneCron, error) {
	var c droneCron
	err := acctest.Drone(t).Do(context.Background(), http.MethodGet, cronPath(t, slug, name), nil, &c)
	return &c, err
}

// checkCron compares the cron job as Drone reports it with want.
func checkCron(t *testing.T, slug string, want droneCron) resource.TestCheckFunc {
	return func(*terraform.State) error {
		got, err := getCron(t, slug, want.Name)
		if err != nil {
			return err
		}
		want.Event = "push"
		if *got != want {
			return fmt.Errorf("drone has %+v, want %+v", *got, want)
		}
		return nil
	}
}

func cronConfig(slug, name, expr, extra string) string {
	return fmt.Sprintf(`
resource "drone_cron" "c" {
  repository = %q
  name       = %q
  expr       = %q
%s
}
`, slug, name, expr, extra)
}

func TestAccCron_lifecycle(t *testing.T) {
	acctest.PreCheck(t)
	slug := activeRepo(t)
	addr := "drone_cron.c"

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			var list []droneCron
			if err := acctest.Drone(t).Do(context.Background(), http.MethodGet, cronPath(t, slug), nil, &list); err != nil {
				return err
			}
			if len(list) != 0 {
				return fmt.Errorf("cron jobs left after destroy: %+v", list)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{ // a name Drone slugifies, and what Drone's create ignores (target, disabled)
				Config: cronConfig(slug, "Nightly Build", "0 0 2 * * *", `
  branch   = "main"
  target   = "staging"
  disabled = true`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact(slug+"/nightly-build")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("name"), knownvalue.StringExact("Nightly Build")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("event"), knownvalue.StringExact("push")),
				},
				Check: checkCron(t, slug, droneCron{Name: "nightly-build", Expr: "0 0 2 * * *", Branch: "main", Target: "staging", Disabled: true}),
			},
			{ // branch, target and disabled change in place, false and empty included
				Config: cronConfig(slug, "Nightly Build", "0 0 2 * * *", `  branch = "develop"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				Check: checkCron(t, slug, droneCron{Name: "nightly-build", Expr: "0 0 2 * * *", Branch: "develop"}),
			},
			{ // the slug spelling of the same name: no replacement
				Config: cronConfig(slug, "nightly-build", "0 0 2 * * *", `  branch = "develop"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("name"), knownvalue.StringExact("nightly-build")),
				},
			},
			{
				ResourceName:      addr,
				ImportState:       true,
				ImportStateId:     slug + "/nightly-build",
				ImportStateVerify: true,
			},
			{ // changed outside Terraform: the plan restores it
				PreConfig: func() {
					acctest.DroneDo(t, http.MethodPatch, cronPath(t, slug, "nightly-build"), map[string]any{"disabled": true, "branch": "other"}, nil)
				},
				Config: cronConfig(slug, "nightly-build", "0 0 2 * * *", `  branch = "develop"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				Check: checkCron(t, slug, droneCron{Name: "nightly-build", Expr: "0 0 2 * * *", Branch: "develop"}),
			},
			{ // a new expression replaces the job (Drone cannot update it)
				Config: cronConfig(slug, "nightly-build", "@daily", `  branch = "develop"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				Check: checkCron(t, slug, droneCron{Name: "nightly-build", Expr: "@daily", Branch: "develop"}),
			},
			{ // deleted outside Terraform: re-created
				PreConfig: func() {
					acctest.DroneDo(t, http.MethodDelete, cronPath(t, slug, "nightly-build"), nil, nil)
				},
				Config: cronConfig(slug, "nightly-build", "@daily", `  branch = "develop"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
				}},
				Check: checkCron(t, slug, droneCron{Name: "nightly-build", Expr: "@daily", Branch: "develop"}),
			},
			{ // a new name replaces the job
				Config: cronConfig(slug, "weekly", "0 30 4 * * 1", `  branch = "main"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				Check: func(s *terraform.State) error {
					if _, err := getCron(t, slug, "nightly-build"); !client.IsNotFound(err) {
						return fmt.Errorf("old cron job still there: %v", err)
					}
					return checkCron(t, slug, droneCron{Name: "weekly", Expr: "0 30 4 * * 1", Branch: "main"})(s)
				},
			},
		},
	})
}

// The expressions the provider accepts and rejects at plan time are the ones
// the real server accepts and rejects.
func TestAccCron_serverParser(t *testing.T) {
	acctest.PreCheck(t)
	slug := activeRepo(t)
	c := acctest.Drone(t)
	ctx := context.Background()
	try := func(i int, expr string) error {
		name := fmt.Sprintf("parser-%d", i)
		err := c.Do(ctx, http.MethodPost, cronPath(t, slug), map[string]string{"name": name, "expr": expr, "branch": "main"}, nil)
		if err == nil {
			acctest.DroneDo(t, http.MethodDelete, cronPath(t, slug, name), nil, nil)
		}
		return err
	}
	for i, e := range cronAccepted {
		if err := try(i, e); err != nil {
			t.Errorf("server rejects %q, which the provider accepts: %v", e, err)
		}
	}
	for i, e := range cronRejected {
		err := try(100+i, e)
		if err == nil {
			t.Errorf("server accepts %q, which the provider rejects", e)
		} else if !strings.Contains(err.Error(), "400") || !strings.Contains(err.Error(), "Invalid Cronjob Expression") {
			t.Errorf("%q: want 400 Invalid Cronjob Expression, got %v", e, err)
		}
	}
}

// Without branch, a job builds the repository's default branch (the
// Gitea repositories of the stack use main), shown in state; the next
// plan is empty.
func TestAccCron_defaultBranch(t *testing.T) {
	acctest.PreCheck(t)
	slug := activeRepo(t)
	addr := "drone_cron.c"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: cronConfig(slug, "nightly", "@daily", ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectUnknownValue(addr, tfjsonpath.New("branch")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("branch"), knownvalue.StringExact("main")),
				},
				Check: checkCron(t, slug, droneCron{Name: "nightly", Expr: "@daily", Branch: "main"}),
			},
			{Config: cronConfig(slug, "nightly", "@daily", ""), PlanOnly: true},
			{ // a change of another attribute keeps the branch
				Config: cronConfig(slug, "nightly", "@daily", "  disabled = true"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("branch"), knownvalue.StringExact("main")),
				}},
				Check: checkCron(t, slug, droneCron{Name: "nightly", Expr: "@daily", Branch: "main", Disabled: true}),
			},
		},
	})
}
