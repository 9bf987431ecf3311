package drone_test

import (
	"context"
	"fmt"
	"net/http"
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

	"github.com/galaxias/terraform-provider-galaxias/internal/drone/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/acctest"
)

// activeRepo creates a Gitea repository and enables it in Drone through the API.
func activeRepo(t *testing.T) string {
	t.Helper()
	slug := acctest.GiteaAdmin(t).CreateRepo(t, acctest.Name("sec"))
	c := acctest.DroneAPI(t)
	ctx := context.Background()
	if err := c.Repos.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	owner, name, _ := strings.Cut(slug, "/")
	if _, err := c.Repos.Enable(ctx, owner, name); err != nil {
		t.Fatal(err)
	}
	return slug
}

type droneSecret struct {
	Name            string `json:"name"`
	Data            string `json:"data"`
	PullRequest     bool   `json:"pull_request"`
	PullRequestPush bool   `json:"pull_request_push"`
}

func getSecret(t *testing.T, slug, name string) (*droneSecret, error) {
	owner, repo, _ := strings.Cut(slug, "/")
	var s droneSecret
	err := acctest.Drone(t).Do(context.Background(), http.MethodGet, acctest.DronePath(t, "api", "repos", owner, repo, "secrets", name), nil, &s)
	return &s, err
}

func checkSecretFlags(t *testing.T, slug, name string, pr, push bool) resource.TestCheckFunc {
	return func(*terraform.State) error {
		s, err := getSecret(t, slug, name)
		if err != nil {
			return err
		}
		if s.PullRequest != pr || s.PullRequestPush != push {
			return fmt.Errorf("drone has pull_request=%v pull_request_push=%v, want %v %v", s.PullRequest, s.PullRequestPush, pr, push)
		}
		if s.Data != "" {
			return fmt.Errorf("drone returned secret data")
		}
		return nil
	}
}

func secretConfig(slug, name, body string) string {
	return fmt.Sprintf(`
resource "drone_secret" "s" {
  repository = %q
  name       = %q
%s
}
`, slug, name, body)
}

func TestAccSecret_lifecycle(t *testing.T) {
	acctest.PreCheck(t)
	slug := activeRepo(t)
	addr := "drone_secret.s"

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			for _, n := range []string{"docker_password", "docker_username"} {
				if _, err := getSecret(t, slug, n); !client.IsNotFound(err) {
					return fmt.Errorf("secret %s: want 404 after destroy, got %v", n, err)
				}
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: secretConfig(slug, "docker_password", `  value = "s3cret-1"`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact(slug+"/docker_password")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("allow_on_pull_request"), knownvalue.Bool(false)),
				},
				Check: checkSecretFlags(t, slug, "docker_password", false, false),
			},
			{ // flags on, in place
				Config: secretConfig(slug, "docker_password", `
  value                      = "s3cret-1"
  allow_on_pull_request      = true
  allow_push_on_pull_request = true`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				Check: checkSecretFlags(t, slug, "docker_password", true, true),
			},
			{ // flags off again: drone-go cannot send false; the provider must
				Config: secretConfig(slug, "docker_password", `  value = "s3cret-2"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				Check: checkSecretFlags(t, slug, "docker_password", false, false),
			},
			{ // import: Drone never returns the value
				ResourceName:            addr,
				ImportState:             true,
				ImportStateId:           slug + "/docker_password",
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"value"},
			},
			{ // deleted outside Terraform: re-created
				PreConfig: func() {
					owner, repo, _ := strings.Cut(slug, "/")
					if err := acctest.Drone(t).Do(context.Background(), http.MethodDelete,
						acctest.DronePath(t, "api", "repos", owner, repo, "secrets", "docker_password"), nil, nil); err != nil {
						t.Fatal(err)
					}
				},
				Config: secretConfig(slug, "docker_password", `  value = "s3cret-2"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
				}},
				Check: checkSecretFlags(t, slug, "docker_password", false, false),
			},
			{ // flag changed outside Terraform: the plan shows it
				PreConfig: func() {
					owner, repo, _ := strings.Cut(slug, "/")
					if err := acctest.Drone(t).Do(context.Background(), http.MethodPatch,
						acctest.DronePath(t, "api", "repos", owner, repo, "secrets", "docker_password"), map[string]bool{"pull_request": true}, nil); err != nil {
						t.Fatal(err)
					}
				},
				Config: secretConfig(slug, "docker_password", `  value = "s3cret-2"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("allow_on_pull_request"), knownvalue.Bool(false)),
				}},
				Check: checkSecretFlags(t, slug, "docker_password", false, false),
			},
			{ // a new name replaces it
				Config: secretConfig(slug, "docker_username", `  value = "robot"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				Check: func(s *terraform.State) error {
					if _, err := getSecret(t, slug, "docker_password"); !client.IsNotFound(err) {
						return fmt.Errorf("old secret still there: %v", err)
					}
					return checkSecretFlags(t, slug, "docker_username", false, false)(s)
				},
			},
		},
	})
}

func TestAccSecret_writeOnly(t *testing.T) {
	acctest.PreCheck(t)
	slug := activeRepo(t)
	addr := "drone_secret.s"
	cfg := func(version int) string {
		return secretConfig(slug, "galaxias_api_token", fmt.Sprintf(`
  value_wo         = "token-v%d"
  value_wo_version = %d`, version, version))
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		Steps: []resource.TestStep{
			{
				Config: cfg(1),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("value_wo"), knownvalue.Null()),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("value"), knownvalue.Null()),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("value_wo_version"), knownvalue.Int64Exact(1)),
				},
				Check: checkSecretFlags(t, slug, "galaxias_api_token", false, false),
			},
			{ // same version: nothing to do
				Config: cfg(1),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
			},
			{ // new version: updated in place
				Config: cfg(2),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("value_wo"), knownvalue.Null()),
				},
			},
			{ // and the write-only value never reaches the state file
				Config: cfg(2),
				Check: func(s *terraform.State) error {
					for k, v := range s.RootModule().Resources[addr].Primary.Attributes {
						if strings.Contains(v, "token-v") {
							return fmt.Errorf("write-only value found in state attribute %s", k)
						}
					}
					return nil
				},
			},
		},
	})
}

// Plan-time validation needs no server: Terraform validates before it
// configures the provider.
func TestSecret_validation(t *testing.T) {
	cases := map[string]struct{ body, want string }{
		"bad name":         {`name = "has space"` + "\n" + `value = "x"`, `name`},
		"bad repository":   {`name = "ok"` + "\n" + `value = "x"` + "\n" + `repository = "noslash"`, `repository`},
		"no value":         {`name = "ok"`, `Exactly one of these attributes must be configured: \[value,value_wo\]`},
		"both values":      {`name = "ok"` + "\n" + `value = "x"` + "\n" + `value_wo = "y"`, `(?s)value.*value_wo`},
		"empty value":      {`name = "ok"` + "\n" + `value = ""`, `(?s)value.*length`},
		"version alone":    {`name = "ok"` + "\n" + `value = "x"` + "\n" + `value_wo_version = 1`, `value_wo`},
		"repository slash": {`name = "ok"` + "\n" + `value = "x"` + "\n" + `repository = "a/b/c"`, `repository`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			body := tc.body
			if !strings.Contains(body, "repository") {
				body += "\n" + `repository = "o/r"`
			}
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      `resource "drone_secret" "s" {` + "\n" + body + "\n}",
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(tc.want),
				}},
			})
		})
	}
}

func TestRepo_validation(t *testing.T) {
	cases := map[string]struct{ body, want string }{
		"bad slug":       {`repository = "just-a-name"`, `repository`},
		"bad visibility": {`repository = "o/r"` + "\n" + `visibility = "secret"`, `visibility`},
		"zero timeout":   {`repository = "o/r"` + "\n" + `timeout = 0`, `timeout`},
		"neg throttle":   {`repository = "o/r"` + "\n" + `throttle = -1`, `throttle`},
		"empty config":   {`repository = "o/r"` + "\n" + `configuration = ""`, `configuration`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      `resource "drone_repo" "r" {` + "\n" + tc.body + "\n}",
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(tc.want),
				}},
			})
		})
	}
}
