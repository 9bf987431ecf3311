package drone_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/galaxias/terraform-provider-galaxias/internal/testing/acctest"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/drone08"
)

func strings08(values ...string) knownvalue.Check {
	checks := make([]knownvalue.Check, len(values))
	for i, v := range values {
		checks[i] = knownvalue.StringExact(v)
	}
	return knownvalue.ListExact(checks)
}

// The data sources 0.8 has, against the fake: reads only.
func TestDrone08_dataSources(t *testing.T) {
	t.Parallel()
	f := fake08(t)
	do08(t, f, "GET", "/api/user/repos?flush=true", nil, nil)
	do08(t, f, "POST", "/api/repos/octocat/hello", nil, nil)
	f.PutSecret("octocat/hello", drone08.Secret{Name: "docker_password", Value: "x", Events: []string{"push"}})
	f.PutSecret("octocat/hello", drone08.Secret{Name: "docker_username", Value: "y"})
	f.AddUser("bob", "bob-token")
	f.AddUser("gone", "gone-token")
	f.SetUserActive("gone", false)
	before := len(f.Writes())
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: provider08(f, "") + `
data "drone_repo" "r" {
  repository = "octocat/hello"
}
data "drone_repos" "all" {}
data "drone_secrets" "s" {
  repository = "octocat/hello"
}
data "drone_user" "bob" {
  login = "bob"
}
data "drone_user_self" "me" {}
data "drone_users" "all" {}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.drone_repo.r", tfjsonpath.New("id"), knownvalue.StringExact("octocat/hello")),
				statecheck.ExpectKnownValue("data.drone_repo.r", tfjsonpath.New("active"), knownvalue.Bool(true)),
				statecheck.ExpectKnownValue("data.drone_repo.r", tfjsonpath.New("configuration"), knownvalue.StringExact(".drone.yml")),
				statecheck.ExpectKnownValue("data.drone_repo.r", tfjsonpath.New("http_url"), knownvalue.StringExact("http://scm.example/octocat/hello.git")),
				statecheck.ExpectKnownValue("data.drone_repo.r", tfjsonpath.New("default_branch"), knownvalue.StringExact("main")),
				statecheck.ExpectKnownValue("data.drone_repos.all", tfjsonpath.New("repositories"), strings08("octocat/hello")),
				statecheck.ExpectKnownValue("data.drone_secrets.s", tfjsonpath.New("names"), strings08("docker_password", "docker_username")),
				statecheck.ExpectKnownValue("data.drone_user.bob", tfjsonpath.New("id"), knownvalue.StringExact("bob")),
				statecheck.ExpectKnownValue("data.drone_user.bob", tfjsonpath.New("admin"), knownvalue.Bool(false)),
				statecheck.ExpectKnownValue("data.drone_user.bob", tfjsonpath.New("machine"), knownvalue.Bool(false)),
				statecheck.ExpectKnownValue("data.drone_user_self.me", tfjsonpath.New("login"), knownvalue.StringExact("octocat")),
				statecheck.ExpectKnownValue("data.drone_user_self.me", tfjsonpath.New("admin"), knownvalue.Bool(true)),
				statecheck.ExpectKnownValue("data.drone_users.all", tfjsonpath.New("logins"), strings08("bob", "octocat")),
			},
			Check: func(*terraform.State) error {
				if w := f.Writes(); len(w) != before {
					return fmt.Errorf("data sources wrote to Drone: %v", w[before:])
				}
				return nil
			},
		}},
	})
}

// drone_repos with sync = true syncs the 0.8 way: a list with flush=true.
func TestDrone08_reposSync(t *testing.T) {
	t.Parallel()
	f := fake08(t)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: provider08(f, "") + "data \"drone_repos\" \"all\" {\n  sync = true\n}\n",
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.drone_repos.all", tfjsonpath.New("repositories"), knownvalue.ListSizeExact(0)),
			},
			Check: resource.ComposeTestCheckFunc(noCall(f, "POST "), func(*terraform.State) error {
				if _, ok := f.Repository("octocat/hello"); !ok {
					return fmt.Errorf("no sync: Drone 0.8 does not know octocat/hello")
				}
				return nil
			}),
		}},
	})
}
