package drone_test

import (
	"context"
	"fmt"
	"net/http"
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

func getUser(t *testing.T, login string) (*dronego.User, error) {
	var u dronego.User
	err := acctest.Drone(t).Do(context.Background(), http.MethodGet, acctest.DronePath(t, "api", "users", login), nil, &u)
	return &u, err
}

func checkUser(t *testing.T, login string, admin, active, machine bool) resource.TestCheckFunc {
	return func(*terraform.State) error {
		u, err := getUser(t, login)
		if err != nil {
			return err
		}
		if u.Admin != admin || u.Active != active || u.Machine != machine {
			return fmt.Errorf("drone has admin=%v active=%v machine=%v, want %v %v %v", u.Admin, u.Active, u.Machine, admin, active, machine)
		}
		return nil
	}
}

func userConfig(login, extra string) string {
	return fmt.Sprintf(`
resource "drone_user" "u" {
  login = %q
%s
}
`, login, extra)
}

// newLogin returns a unique login, deleted from Drone when the test ends.
func newLogin(t *testing.T, prefix string) string {
	login := acctest.Name(prefix)
	acctest.CleanupDrone(t, acctest.DronePath(t, "api", "users", login))
	return login
}

// tokenKeeper remembers the token in state and checks later steps against it.
type tokenKeeper struct{ token string }

func (k *tokenKeeper) attr(s *terraform.State) string {
	return s.RootModule().Resources["drone_user.u"].Primary.Attributes["token"]
}

// record saves the token and checks that it authenticates as login.
func (k *tokenKeeper) record(t *testing.T, login string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		k.token = k.attr(s)
		if k.token == "" {
			return fmt.Errorf("no token in state")
		}
		self, err := client.NewDialect(acctest.DroneAs(t, k.token), client.ServerInfo{API: client.API1}).Users.Self(context.Background())
		if err != nil {
			return fmt.Errorf("the token in state does not work: %w", err)
		}
		if self.Login != login {
			return fmt.Errorf("the token in state belongs to %q, want %q", self.Login, login)
		}
		return nil
	}
}

func (k *tokenKeeper) same() resource.TestCheckFunc {
	return func(s *terraform.State) error {
		if got := k.attr(s); got != k.token {
			return fmt.Errorf("token changed or lost: %q, want the one from creation", got)
		}
		return nil
	}
}

func TestAccUser_machine(t *testing.T) {
	acctest.PreCheck(t)
	login := newLogin(t, "bot")
	addr := "drone_user.u"
	var tok, tok2 tokenKeeper

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if _, err := getUser(t, login); !client.IsNotFound(err) {
				return fmt.Errorf("user %s: want 404 after destroy, got %v", login, err)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: userConfig(login, `  machine = true`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact(login)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("active"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("admin"), knownvalue.Bool(false)),
					statecheck.ExpectSensitiveValue(addr, tfjsonpath.New("token")),
				},
				Check: resource.ComposeTestCheckFunc(checkUser(t, login, false, true, true), tok.record(t, login)),
			},
			{ // Drone never returns the token again: a refresh keeps it
				RefreshState: true,
				Check:        tok.same(),
			},
			{ // admin in place; the token stays
				Config: userConfig(login, "  machine = true\n  admin = true"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("token"), knownvalue.NotNull()),
				}},
				Check: resource.ComposeTestCheckFunc(checkUser(t, login, true, true, true), tok.same()),
			},
			{ // deactivated in place, admin false too
				Config: userConfig(login, "  machine = true\n  active = false"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				Check: resource.ComposeTestCheckFunc(checkUser(t, login, false, false, true), tok.same()),
			},
			{
				RefreshState: true,
				Check:        tok.same(),
			},
			{ // import by login: Drone does not give the token
				ResourceName:            addr,
				ImportState:             true,
				ImportStateId:           login,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"token"},
			},
			{ // deleted outside Terraform: re-created (active again), with a new token
				PreConfig: func() {
					acctest.DroneDo(t, http.MethodDelete, acctest.DronePath(t, "api", "users", login), nil, nil)
				},
				Config: userConfig(login, "  machine = true"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
				}},
				Check: resource.ComposeTestCheckFunc(checkUser(t, login, false, true, true), tok2.record(t, login),
					func(*terraform.State) error {
						if tok2.token == tok.token {
							return fmt.Errorf("re-created user kept the old token")
						}
						return nil
					}),
			},
			{ // machine cannot change in Drone: replaced
				Config: userConfig(login, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("token"), knownvalue.Null()),
				},
				Check: checkUser(t, login, false, true, false),
			},
		},
	})
}

// A human user created inactive: Drone creates users active, the provider
// deactivates it right after.
func TestAccUser_createdInactive(t *testing.T) {
	acctest.PreCheck(t)
	login := newLogin(t, "human")
	addr := "drone_user.u"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: userConfig(login, "  active = false"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("active"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("machine"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("token"), knownvalue.Null()),
				},
				Check: checkUser(t, login, false, false, false),
			},
			{
				Config: userConfig(login, "  admin = true"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				Check: checkUser(t, login, true, true, false),
			},
			{ // deleted in the UI: re-created
				PreConfig: func() {
					acctest.DroneDo(t, http.MethodDelete, acctest.DronePath(t, "api", "users", login), nil, nil)
				},
				Config: userConfig(login, "  admin = true"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
				}},
				Check: checkUser(t, login, true, true, false),
			},
		},
	})
}

// Drone looks a human user's login up in the SCM and stores the SCM's
// spelling ("Casey" becomes "casey"): the configured spelling stays in
// state, the user is addressed by Drone's, and the plan stays empty.
func TestAccUser_scmSpelling(t *testing.T) {
	acctest.PreCheck(t)
	gitea := acctest.GiteaAdmin(t)
	lower := strings.ReplaceAll(acctest.Name("casey"), "-", "")
	gitea.Do(t, http.MethodPost, "/admin/users", map[string]any{
		"username": lower, "email": lower + "@example.com", "password": "Passw0rd-" + lower, "must_change_password": false,
	}, nil, http.StatusCreated)
	t.Cleanup(func() { gitea.Do(t, http.MethodDelete, "/admin/users/"+lower, nil, nil, http.StatusNoContent) })
	acctest.CleanupDrone(t, acctest.DronePath(t, "api", "users", lower))
	upper := strings.ToUpper(lower[:1]) + lower[1:]
	addr := "drone_user.u"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: userConfig(upper, ""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("login"), knownvalue.StringExact(upper)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact(lower)),
				},
				Check: checkUser(t, lower, false, true, false),
			},
			{
				Config: userConfig(upper, "  admin = true"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				Check: checkUser(t, lower, true, true, false),
			},
		},
	})
}
