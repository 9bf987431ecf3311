package galaxias_test

import (
	"context"
	"fmt"
	"regexp"
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

// rtClientWithToken is a client that sends token and cannot log in again.
func rtClientWithToken(t *testing.T, token string) *client.Client {
	t.Helper()
	c, err := client.New(client.Options{BaseURL: acctest.Env(t, "GALAXIAS_ENDPOINT"), Token: token})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// rtUserHas checks the user's record on the server.
func rtUserHas(api *client.Client, id *int64, name, email, role string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		u, err := api.GetUser(context.Background(), *id)
		if err != nil {
			return err
		}
		if u.Name != name || u.Email != email || u.Role != role {
			return fmt.Errorf("server has user %+v; want name %q, email %q, role %q", u, name, email, role)
		}
		return nil
	}
}

func TestAccUser_lifecycle(t *testing.T) {
	acctest.PreCheckGalaxias(t)
	api := acctest.Galaxias(t)
	ctx := context.Background()
	rock := acctest.IsRock(t)
	name := acctest.Name("ci")
	addr := "galaxias_user.u"
	const pw1, pw2 = "first-secret-pw", "second-secret-pw"
	cfg := func(name, email, role, pw string, version int) string {
		return fmt.Sprintf(`
resource "galaxias_user" "u" {
  name                = %q
  email               = %q
  role                = %q
  password_wo         = %q
  password_wo_version = %d
}`, name, email, role, pw, version)
	}
	// On the re-implementation a new email or password version cannot be
	// applied to a user of the same name (plan-time errors below), so the
	// later steps keep the first ones there.
	email2, pwLast, verLast := "ops@example.com", pw2, 2
	if rock {
		email2, pwLast, verLast = "ci@example.com", pw1, 1
	}
	var id, oldID int64
	var token, oldToken string
	save := func(s *terraform.State) error {
		id = stateID(s, addr)
		token = s.RootModule().Resources[addr].Primary.Attributes["token"]
		return nil
	}
	// tokenWorks checks that the token in state is the user's valid token.
	tokenWorks := func(s *terraform.State) error {
		tok := s.RootModule().Resources[addr].Primary.Attributes["token"]
		if tok == "" {
			return fmt.Errorf("no token in state")
		}
		if err := rtClientWithToken(t, tok).CheckAuth(ctx); err != nil {
			return fmt.Errorf("the token in state does not work: %v", err)
		}
		return nil
	}
	// rotated checks that the token changed and the old one is refused.
	rotated := func(*terraform.State) error {
		if token == oldToken {
			return fmt.Errorf("token not rotated")
		}
		err := rtClientWithToken(t, oldToken).CheckAuth(ctx)
		// The re-implementation answers the token of a deleted user 404
		// "User token is not valid, please login later".
		if !client.IsUnauthorized(err) && !(rock && client.IsNotFound(err)) {
			return fmt.Errorf("old token: want it refused (401), got %v", err)
		}
		return nil
	}
	tokenKept := statecheck.ExpectKnownValue(addr, tfjsonpath.New("token"), knownvalue.StringFunc(func(v string) error {
		if v != token {
			return fmt.Errorf("token changed")
		}
		return nil
	}))
	noPassword := resource.ComposeTestCheckFunc(rtStateLacks(addr, pw1), rtStateLacks(addr, pw2))
	replacedUser := func(*terraform.State) error {
		if id == oldID {
			return fmt.Errorf("user %d was not replaced", id)
		}
		if _, err := api.GetUser(ctx, oldID); !client.IsNotFound(err) {
			return fmt.Errorf("old user %d: want 404, got %v", oldID, err)
		}
		return nil
	}

	// A new role: in place. The re-implementation reads the role from the
	// token, so there the provider logs in again as the user: a new token.
	roleStep := resource.TestStep{
		PreConfig: func() { oldToken = token },
		Config:    cfg(name, "ci@example.com", "deployer", pw1, 1),
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
			PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		},
		ConfigStateChecks: []statecheck.StateCheck{tokenKept},
		Check:             resource.ComposeTestCheckFunc(tokenWorks, rtUserHas(api, &id, name, "ci@example.com", "deployer")),
	}
	// A new e-mail: in place, the token stays; where there is no route to
	// change it (the re-implementation), the user is replaced.
	emailStep := resource.TestStep{
		Config: cfg(name, "ops@example.com", "deployer", pw1, 1),
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
			PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		},
		ConfigStateChecks: []statecheck.StateCheck{tokenKept},
		Check:             resource.ComposeTestCheckFunc(tokenWorks, rtUserHas(api, &id, name, "ops@example.com", "deployer")),
	}
	// A new password version: new password, new token, the old one
	// refused; where a password change needs the old password (the
	// re-implementation), by replacing the user.
	passwordStep := resource.TestStep{
		PreConfig: func() { oldToken = token },
		Config:    cfg(name, "ops@example.com", "deployer", pw2, 2),
		ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
			plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
			plancheck.ExpectUnknownValue(addr, tfjsonpath.New("token")),
			rtPlanLacks{pw2},
		}},
		Check: resource.ComposeTestCheckFunc(save, tokenWorks, noPassword, rotated),
	}
	// Changed outside Terraform: the plan shows it (there is no route to
	// change an e-mail on the re-implementation, so only the role there).
	driftStep := resource.TestStep{
		PreConfig: func() {
			if !rock {
				if _, err := api.UpdateUser(ctx, id, client.UserInput{Email: "hand@example.com"}); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := api.SetUserRole(ctx, id, client.RoleDeveloper); err != nil {
				t.Fatal(err)
			}
		},
		Config: cfg(name, email2, "deployer", pwLast, verLast),
		ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
			plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
			plancheck.ExpectKnownValue(addr, tfjsonpath.New("email"), knownvalue.StringExact(email2)),
			plancheck.ExpectKnownValue(addr, tfjsonpath.New("role"), knownvalue.StringExact("deployer")),
		}},
		Check: resource.ComposeTestCheckFunc(save, tokenWorks, rtUserHas(api, &id, name, email2, "deployer")),
	}
	if rock {
		roleStep.ConfigPlanChecks.PreApply = append(roleStep.ConfigPlanChecks.PreApply,
			plancheck.ExpectUnknownValue(addr, tfjsonpath.New("token")))
		roleStep.ConfigStateChecks = nil
		roleStep.Check = resource.ComposeTestCheckFunc(save, roleStep.Check, rotated)
		// The re-implementation can neither change these nor replace the
		// user under the same name (it never frees a deleted user's
		// name): errors at plan time, and nothing is deleted.
		emailStep = resource.TestStep{
			Config:      cfg(name, "ops@example.com", "deployer", pw1, 1),
			ExpectError: rtWords("cannot change email of a user, nor replace the user", "never lets a new user have a deleted user's name", "change `name` too"),
		}
		passwordStep = resource.TestStep{
			Config:      cfg(name, "ci@example.com", "deployer", pw2, 2),
			ExpectError: rtWords("cannot change password_wo_version of a user, nor replace the user", "change `name` too"),
		}
	}
	// Deleted outside Terraform: created again, with a new token; on the
	// re-implementation, which still answers a deleted user by id, the
	// refresh detects it, and the re-creation under the same name is an
	// error at plan time.
	deletedStep := resource.TestStep{
		PreConfig: func() {
			if err := api.DeleteUser(ctx, id); err != nil {
				t.Fatal(err)
			}
		},
		Config: cfg(name, email2, "deployer", pwLast, verLast),
		ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
			plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
		}},
		Check: resource.ComposeTestCheckFunc(save, tokenWorks, noPassword,
			rtUserHas(api, &id, name, email2, "deployer")),
	}
	// A new name replaces the user (on the re-implementation, where the
	// deleted user left the state, it is a create).
	renameStep := resource.TestStep{
		PreConfig: func() { oldID = id },
		Config:    cfg(name+"-b", email2, "deployer", pwLast, verLast),
		ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
			plancheck.ExpectResourceAction(addr, plancheck.ResourceActionDestroyBeforeCreate),
		}},
		Check: resource.ComposeTestCheckFunc(save, tokenWorks,
			rtUserHas(api, &id, name+"-b", email2, "deployer"), replacedUser),
	}
	if rock {
		deletedStep.ConfigPlanChecks = resource.ConfigPlanChecks{}
		deletedStep.Check = nil
		deletedStep.ExpectError = rtWords("This user name belongs to a deleted user", "Give the user another name")
		renameStep.ConfigPlanChecks.PreApply = []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate)}
	}
	steps := []resource.TestStep{
		{
			Config: cfg(name, "ci@example.com", "developer", pw1, 1),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
				plancheck.ExpectSensitiveValue(addr, tfjsonpath.New("token")),
				rtPlanLacks{pw1},
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectSensitiveValue(addr, tfjsonpath.New("token")),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("password_wo"), knownvalue.Null()),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("role"), knownvalue.StringExact("developer")),
			},
			Check: resource.ComposeTestCheckFunc(save, tokenWorks, noPassword,
				rtUserHas(api, &id, name, "ci@example.com", "developer")),
		},
		roleStep,
		emailStep,
		passwordStep,
		{
			ResourceName: addr, ImportState: true, ImportStateVerify: true,
			ImportStateVerifyIgnore: []string{
				// Galaxias never answers a token: only a login with the
				// password (which an import does not have) gives one.
				"token",
				// a configuration-only counter for the write-only
				// password; Galaxias has no such field.
				"password_wo_version",
			},
		},
		driftStep,
		deletedStep,
		renameStep,
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		CheckDestroy: func(*terraform.State) error {
			for _, uid := range []int64{id, oldID} {
				if _, err := api.GetUser(ctx, uid); uid != 0 && !client.IsNotFound(err) {
					return fmt.Errorf("user %d: want 404 after destroy, got %v", uid, err)
				}
			}
			return nil
		},
		Steps: steps,
	})
}

// What the server requires of a new user is checked at plan time: the
// re-implementation needs an e-mail and takes passwords of 6 to 20
// characters of at least two kinds.
func TestAccUser_serverRequirements(t *testing.T) {
	acctest.PreCheckGalaxias(t)
	if !acctest.IsRock(t) {
		t.Skip("the contract takes users without an e-mail and any password of 8 characters or more")
	}
	cfg := func(attrs string) string {
		return fmt.Sprintf("resource \"galaxias_user\" \"u\" {\n  name = %q\n  %s\n}", acctest.Name("req"), attrs)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		Steps: []resource.TestStep{
			{Config: cfg(`password_wo = "good-secret-pw"`), PlanOnly: true,
				ExpectError: rtWords("This Galaxias server requires an email", "Set email")},
			{Config: cfg("password_wo = \"onlylowercase\"\n  email = \"a@example.com\""), PlanOnly: true,
				ExpectError: rtWords("Password refused by this Galaxias server", "mixes fewer than two kinds of characters")},
			{Config: cfg("password_wo = \"much-too-long-for-this-server\"\n  email = \"a@example.com\""), PlanOnly: true,
				ExpectError: rtWords("Password refused by this Galaxias server", "has 29 characters")},
		},
	})
}

// Plan-time validation needs no server.
func TestUser_validation(t *testing.T) {
	cases := map[string]struct{ body, want string }{
		"short password": {`password_wo = "short"`, `(?s)password_wo.*length`},
		"bad role":       {`password_wo = "long-enough"` + "\n" + `role = "root"`, `(?s)role.*value must be one of`},
		"bad email":      {`password_wo = "long-enough"` + "\n" + `email = "nope"`, `(?s)email.*e-mail address`},
		"no password":    {``, `password_wo`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProviderFactories,
				TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
				Steps: []resource.TestStep{{
					Config:      "resource \"galaxias_user\" \"u\" {\n  name = \"ci\"\n" + tc.body + "\n}",
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(tc.want),
				}},
			})
		})
	}
}
