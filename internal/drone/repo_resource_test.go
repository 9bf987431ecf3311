package drone_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	dronego "github.com/drone/drone-go/drone"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/galaxias/terraform-provider-galaxias/internal/drone/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/acctest"
)

func repoConfig(slug, extra string) string {
	return fmt.Sprintf(`
resource "drone_repo" "r" {
  repository = %q
%s
}
`, slug, extra)
}

// droneRepo reads a repository through Drone's API.
func droneRepo(t *testing.T, slug string) (*dronego.Repo, error) {
	owner, name, _ := strings.Cut(slug, "/")
	return acctest.DroneAPI(t).Repos.Get(context.Background(), owner, name)
}

// checkRepo asserts a setting of the repository as Drone itself reports it.
func checkRepo(t *testing.T, slug string, check func(*dronego.Repo) error) resource.TestCheckFunc {
	return func(*terraform.State) error {
		repo, err := droneRepo(t, slug)
		if err != nil {
			return err
		}
		return check(repo)
	}
}

func TestAccRepo_lifecycle(t *testing.T) {
	acctest.PreCheck(t)
	gitea := acctest.GiteaAdmin(t)
	slug := gitea.CreateRepo(t, acctest.Name("repo"))
	other := gitea.CreateRepo(t, acctest.Name("repo2"))
	var otherID int64 // Drone's id of other's record
	addr := "drone_repo.r"

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			for _, s := range []string{slug, other} {
				repo, err := droneRepo(t, s)
				if err == nil && repo.Active {
					return fmt.Errorf("%s is still active in Drone after destroy", s)
				}
			}
			return nil
		},
		Steps: []resource.TestStep{
			{ // create with defaults: enabled in Drone, webhook in Gitea
				Config: repoConfig(slug, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact(slug)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("active"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("configuration"), knownvalue.StringExact(".drone.yml")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("timeout"), knownvalue.Int64Exact(60)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("trusted"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("default_branch"), knownvalue.StringExact("main")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("http_url"), knownvalue.StringRegexp(regexp.MustCompile(slug+`\.git$`))),
				},
				Check: func(*terraform.State) error {
					hooks := gitea.Hooks(t, slug)
					if len(hooks) != 1 || !strings.Contains(hooks[0].Config["url"], "/hook") {
						return fmt.Errorf("want one Drone webhook in Gitea, got %+v", hooks)
					}
					return nil
				},
			},
			{ // update in place, checked through Drone's API
				Config: repoConfig(slug, `
  configuration  = ".ci/drone.yml"
  trusted        = true
  protected      = true
  timeout        = 90
  throttle       = 2
  visibility     = "internal"
  ignore_forks   = true
  ignore_pulls   = true
  cancel_pulls   = true
  cancel_push    = true`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				Check: checkRepo(t, slug, func(r *dronego.Repo) error {
					if r.Config != ".ci/drone.yml" || !r.Trusted || !r.Protected || r.Timeout != 90 || r.Throttle != 2 ||
						r.Visibility != "internal" || !r.IgnoreForks || !r.IgnorePulls || !r.CancelPulls || !r.CancelPush {
						return fmt.Errorf("drone did not get the settings: %+v", r)
					}
					return nil
				}),
			},
			{ // and back to the defaults: false values must reach Drone too
				Config: repoConfig(slug, `  visibility = "internal"`),
				Check: checkRepo(t, slug, func(r *dronego.Repo) error {
					if r.Config != ".drone.yml" || r.Trusted || r.Protected || r.Timeout != 60 || r.Throttle != 0 ||
						r.IgnoreForks || r.IgnorePulls || r.CancelPulls || r.CancelPush {
						return fmt.Errorf("drone kept old settings: %+v", r)
					}
					return nil
				}),
			},
			{ // import
				ResourceName:      addr,
				ImportState:       true,
				ImportStateId:     slug,
				ImportStateVerify: true,
			},
			{ // a setting changed outside Terraform shows in the plan
				PreConfig: func() {
					owner, name, _ := strings.Cut(slug, "/")
					cfg := ".other.yml"
					if _, err := acctest.DroneAPI(t).Repos.Update(context.Background(), owner, name, dronego.RepoPatch{Config: &cfg}); err != nil {
						t.Fatal(err)
					}
				},
				Config: repoConfig(slug, `  visibility = "internal"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("configuration"), knownvalue.StringExact(".drone.yml")),
				}},
				Check: checkRepo(t, slug, func(r *dronego.Repo) error {
					if r.Config != ".drone.yml" {
						return fmt.Errorf("configuration not restored: %q", r.Config)
					}
					return nil
				}),
			},
			{ // disabled outside Terraform: the plan re-creates it
				PreConfig: func() {
					if err := acctest.Drone(t).Do(context.Background(), http.MethodDelete, acctest.DronePath(t, "api", "repos", strings.Split(slug, "/")[0], strings.Split(slug, "/")[1]), nil, nil); err != nil {
						t.Fatal(err)
					}
				},
				Config: repoConfig(slug, `  visibility = "internal"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
				}},
				Check: checkRepo(t, slug, func(r *dronego.Repo) error {
					if !r.Active {
						return fmt.Errorf("not re-enabled")
					}
					return nil
				}),
			},
			{ // a new repository replaces the old one; remove_on_destroy deletes the record
				Config: repoConfig(other, `  remove_on_destroy = true`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				Check: resource.ComposeTestCheckFunc(
					checkRepo(t, slug, func(r *dronego.Repo) error {
						if r.Active {
							return fmt.Errorf("%s still active after replacement", slug)
						}
						return nil
					}),
					checkRepo(t, other, func(r *dronego.Repo) error { otherID = r.ID; return nil }),
				),
			},
		},
	})
	// The record is deleted. Another test's sync of the same SCM user may
	// list the repository again at once, but as a new, inactive record.
	if r, err := droneRepo(t, other); !client.IsNotFound(err) && (err != nil || r.ID == otherID || r.Active) {
		t.Errorf("remove_on_destroy: want %s (Drone id %d) deleted after destroy, got %+v, %v", other, otherID, r, err)
	}
}

func TestAccRepo_nonAdminToken(t *testing.T) {
	acctest.PreCheck(t)
	token := acctest.Env(t, "DRONE_NONADMIN_TOKEN")
	for _, setting := range []string{"trusted = true", "timeout = 30", "throttle = 1"} {
		name := strings.Fields(setting)[0]
		t.Run(name, func(t *testing.T) {
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProviderFactories,
				Steps: []resource.TestStep{{
					Config: fmt.Sprintf(`
provider "drone" {
  token = %q
}
resource "drone_repo" "r" {
  repository = "developer/whatever"
  %s
}`, token, setting),
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(`Drone admin required for ` + name + `(.|\n)*not one`),
				}},
			})
		})
	}
}
