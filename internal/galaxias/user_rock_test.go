package galaxias_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias"
	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/acctest"
)

// rockUserIDsPastRoles makes sure the next user gets an id above the four
// role ids: the re-implementation answers a role change 404 "Role with
// id(<user id>) was not found" only where no role has the user's id.
func rockUserIDsPastRoles(t *testing.T, api *client.Client) {
	t.Helper()
	ctx := context.Background()
	for {
		name := acctest.Name("filler")
		u, err := api.CreateUser(ctx, client.UserInput{Name: name, Password: "Filler-pw1", Email: name + "@example.com", Role: client.RoleDeveloper})
		if err != nil {
			t.Fatal(err)
		}
		_ = api.DeleteUser(ctx, u.ID)
		if u.ID >= 4 {
			return
		}
	}
}

// rtProviderAddress is the galaxias provider's address as the CLI of the
// run resolves it (TF_ACC_PROVIDER_HOST and _NAMESPACE, as
// acctest.ProviderSource writes them; OpenTofu's pass sets both).
func rtProviderAddress() string {
	host, ns := os.Getenv("TF_ACC_PROVIDER_HOST"), os.Getenv("TF_ACC_PROVIDER_NAMESPACE")
	if host == "" {
		host = "registry.terraform.io"
	}
	if ns == "" {
		ns = "hashicorp"
	}
	return host + "/" + ns + "/galaxias"
}

func rtUserHCL(name, role string) string {
	return fmt.Sprintf(`
resource "galaxias_user" "u" {
  name        = %q
  email       = "%s@example.com"
  role        = %q
  password_wo = "Demo-secret-1"
}`, name, name, role)
}

// A demoted user loses its privileges: the re-implementation answers the
// role change 404 40400006 after making it (users 18-19); the provider
// reads the user back, takes the change as made, and logs in again as the
// user, so the token that carried the old role stops working.
func TestAccUser_rockRoleDemotion(t *testing.T) {
	acctest.PreCheckGalaxias(t)
	if !acctest.IsRock(t) {
		t.Skip("the contract answers a role change 200")
	}
	api := acctest.Galaxias(t)
	ctx := context.Background()
	rockUserIDsPastRoles(t, api)
	name := acctest.Name("demoted")
	addr := "galaxias_user.u"
	var adminToken string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		Steps: []resource.TestStep{
			{
				Config: rtUserHCL(name, "admin"),
				Check: func(s *terraform.State) error {
					adminToken = s.RootModule().Resources[addr].Primary.Attributes["token"]
					return nil
				},
			},
			{
				Config: rtUserHCL(name, "deployer"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: func(s *terraform.State) error {
					id := stateID(s, addr)
					if u, err := api.GetUser(ctx, id); err != nil || u.Role != client.RoleDeployer {
						return fmt.Errorf("server has %+v, %v; want role deployer", u, err)
					}
					if err := rtClientWithToken(t, adminToken).CheckAuth(ctx); !client.IsUnauthorized(err) {
						return fmt.Errorf("the token issued with the admin role still works: %v", err)
					}
					tok := s.RootModule().Resources[addr].Primary.Attributes["token"]
					demoted := rtClientWithToken(t, tok)
					if err := demoted.CheckAuth(ctx); err != nil {
						return fmt.Errorf("the new token: %v", err)
					}
					p, err := demoted.CreateProject(ctx, client.ProjectInput{Name: acctest.Name("by-deployer")})
					if err == nil {
						_ = api.DeleteProject(ctx, p.ID)
						return fmt.Errorf("the demoted user's token still creates projects")
					}
					return nil
				},
			},
		},
	})
}

// On the re-implementation a user's name is taken for good once the user
// is deleted: Terraform says so on refresh, at plan time, on create and on
// destroy, and never advises importing a deleted user.
func TestAccUser_rockNamesStayTaken(t *testing.T) {
	acctest.PreCheckGalaxias(t)
	if !acctest.IsRock(t) {
		t.Skip("the contract frees a deleted user's name")
	}
	api := acctest.Galaxias(t)
	ctx := context.Background()
	dir := t.TempDir()
	tf := acctest.NewTerraformCLI(t, dir, rtProviderAddress(), providerserver.NewProtocol6(galaxias.New("test")()))
	name := acctest.Name("kept")
	write := func(cfg string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(acctest.ProviderSource("galaxias")+cfg), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	run := func(want int, args ...string) string {
		t.Helper()
		r, err := tf.CLI.Run(ctx, append(args, "-no-color")...)
		if err != nil {
			t.Fatal(err)
		}
		if r.ExitCode != want {
			t.Fatalf("want exit %d: %s", want, r)
		}
		return r.Stdout + r.Stderr
	}
	expect := func(out string, phrases ...string) {
		t.Helper()
		if !rtWords(phrases...).MatchString(out) {
			t.Fatalf("want %q in:\n%s", phrases, out)
		}
	}
	noImportAdvice := func(out string) {
		t.Helper()
		if regexp.MustCompile(`terraform\s+import`).MatchString(out) {
			t.Fatalf("the output advises importing a deleted user:\n%s", out)
		}
	}
	write(rtUserHCL(name, "deployer"))
	run(0, "init", "-input=false")
	run(0, "apply", "-auto-approve", "-input=false")
	t.Cleanup(func() { _, _ = tf.CLI.Run(ctx, "destroy", "-auto-approve", "-input=false", "-no-color") })

	// replacing it under its own name would delete it for good and then
	// fail: refused at plan time
	out := run(1, "plan", "-input=false", "-replace=galaxias_user.u")
	expect(out, "A user with this name exists already", "the delete would be final and the create would fail")

	// deleted outside Terraform: the refresh tells, the plan refuses
	users, err := api.ListUsers(ctx, name)
	if err != nil || len(users) != 1 {
		t.Fatalf("users %q: %+v %v", name, users, err)
	}
	if err := api.DeleteUser(ctx, users[0].ID); err != nil {
		t.Fatal(err)
	}
	out = run(1, "plan", "-input=false")
	expect(out, fmt.Sprintf("galaxias_user %q was deleted outside Terraform", name), "removed from the state")
	expect(out, "This user name belongs to a deleted user", "Give the user another name")
	noImportAdvice(out)

	// the refresh removes it; a new run that tries to create it is told why
	// it cannot
	run(0, "apply", "-refresh-only", "-auto-approve", "-input=false")
	out = run(1, "apply", "-auto-approve", "-input=false")
	expect(out, "Failed to create galaxias_user", "already exists", fmt.Sprintf("The name %q belongs to a user that was deleted", name), "Give the user another name")
	noImportAdvice(out)

	// another name works; destroying it says that the name stays taken
	write(rtUserHCL(name+"-b", "deployer"))
	run(0, "apply", "-auto-approve", "-input=false")
	out = run(0, "destroy", "-auto-approve", "-input=false")
	expect(out, fmt.Sprintf("The user name %q stays taken", name+"-b"), "no user can be created as")
	if _, err := api.CreateUser(ctx, client.UserInput{Name: name + "-b", Password: "Demo-secret-1", Email: "other@example.com", Role: client.RoleDeployer}); !client.IsDuplicate(err) {
		t.Fatalf("the destroyed user's name: want it taken, got %v", err)
	}
	if strings.Contains(out, "Error") {
		t.Fatalf("destroy: %s", out)
	}
}
