package drone_test

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/galaxias/terraform-provider-galaxias/internal/testing/acctest"
)

func dataSourcesConfig(server, slug, ns, login, reposExtra string) string {
	return fmt.Sprintf(`
provider "drone" {
  server = %q
}
data "drone_repo" "r" {
  repository = %q
}
data "drone_repos" "all" {
%s
}
data "drone_secrets" "s" {
  repository = %q
}
data "drone_orgsecrets" "o" {
  namespace = %q
}
data "drone_user" "u" {
  login = %q
}
data "drone_user_self" "me" {}
data "drone_users" "all" {}
data "drone_crons" "c" {
  repository = %q
}
data "drone_cron" "c" {
  repository = %q
  name       = "Nightly Run"
}
`, server, slug, reposExtra, slug, ns, login, slug, slug)
}

// noWrites fails when anything but reads went through the recorder.
func noWrites(rec *acctest.Recorder) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if w := rec.Writes(); len(w) > 0 {
			return fmt.Errorf("data sources sent write calls to Drone: %v", w)
		}
		if len(rec.Calls()) == 0 {
			return fmt.Errorf("nothing went through the recorder: is the provider pointed at it?")
		}
		return nil
	}
}

func listHas(addr, attr, want string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		a := s.RootModule().Resources[addr].Primary.Attributes
		var got []string
		for k, v := range a {
			if strings.HasPrefix(k, attr+".") && k != attr+".#" {
				got = append(got, v)
			}
		}
		if !slices.Contains(got, want) {
			return fmt.Errorf("%s.%s = %v, want it to contain %q", addr, attr, got, want)
		}
		return nil
	}
}

func TestAccDataSources(t *testing.T) {
	acctest.PreCheck(t)
	slug := activeRepo(t)
	ns := acctest.Env(t, "GITEA_USER")
	owner, repo, _ := strings.Cut(slug, "/")
	acctest.DroneDo(t, http.MethodPost, acctest.DronePath(t, "api", "repos", owner, repo, "secrets"), map[string]string{"name": "ds_secret", "data": "x"}, nil)
	org, _ := orgSecretNames(t, ns)
	acctest.DroneDo(t, http.MethodPost, acctest.DronePath(t, "api", "secrets", ns), map[string]string{"name": org, "data": "x"}, nil)
	acctest.DroneDo(t, http.MethodPost, cronPath(t, slug), map[string]any{"name": "nightly run", "expr": "0 0 3 * * *", "branch": "main"}, nil)
	inactive := newLogin(t, "gone")
	acctest.DroneDo(t, http.MethodPost, "/api/users", map[string]any{"login": inactive, "machine": true}, nil)
	acctest.DroneDo(t, http.MethodPatch, acctest.DronePath(t, "api", "users", inactive), map[string]any{"active": false}, nil)

	rec := acctest.DroneRecorder(t)
	cfg := dataSourcesConfig(rec.URL, slug, ns, ns, "")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.drone_repo.r", tfjsonpath.New("id"), knownvalue.StringExact(slug)),
					statecheck.ExpectKnownValue("data.drone_repo.r", tfjsonpath.New("active"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue("data.drone_repo.r", tfjsonpath.New("default_branch"), knownvalue.StringExact("main")),
					statecheck.ExpectKnownValue("data.drone_repo.r", tfjsonpath.New("configuration"), knownvalue.StringExact(".drone.yml")),
					statecheck.ExpectKnownValue("data.drone_repo.r", tfjsonpath.New("timeout"), knownvalue.Int64Exact(60)),
					statecheck.ExpectKnownValue("data.drone_secrets.s", tfjsonpath.New("names"), knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("ds_secret")})),
					statecheck.ExpectKnownValue("data.drone_user.u", tfjsonpath.New("admin"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue("data.drone_user.u", tfjsonpath.New("machine"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue("data.drone_user_self.me", tfjsonpath.New("login"), knownvalue.StringExact(ns)),
					statecheck.ExpectKnownValue("data.drone_user_self.me", tfjsonpath.New("active"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue("data.drone_crons.c", tfjsonpath.New("names"), knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("nightly-run")})),
					statecheck.ExpectKnownValue("data.drone_cron.c", tfjsonpath.New("id"), knownvalue.StringExact(slug+"/nightly-run")),
					statecheck.ExpectKnownValue("data.drone_cron.c", tfjsonpath.New("expr"), knownvalue.StringExact("0 0 3 * * *")),
					statecheck.ExpectKnownValue("data.drone_cron.c", tfjsonpath.New("event"), knownvalue.StringExact("push")),
					statecheck.ExpectKnownValue("data.drone_cron.c", tfjsonpath.New("disabled"), knownvalue.Bool(false)),
				},
				Check: resource.ComposeTestCheckFunc(
					listHas("data.drone_repos.all", "repositories", slug),
					listHas("data.drone_orgsecrets.o", "names", org),
					listHas("data.drone_users.all", "logins", ns),
					func(s *terraform.State) error {
						// inactive users are left out
						if listHas("data.drone_users.all", "logins", inactive)(s) == nil {
							return fmt.Errorf("inactive user %s listed", inactive)
						}
						return nil
					},
					noWrites(rec),
				),
			},
			{ // a refresh reads, never syncs
				PreConfig:    rec.Reset,
				RefreshState: true,
				Check:        noWrites(rec),
			},
			{ // a plan of the same configuration neither (checked by the next step)
				PreConfig: rec.Reset,
				Config:    cfg,
				PlanOnly:  true,
			},
			{ // sync = true is the one way to make it sync
				PreConfig: func() {
					if w := rec.Writes(); len(w) > 0 {
						t.Errorf("plan sent write calls to Drone: %v", w)
					}
					rec.Reset()
				},
				Config: dataSourcesConfig(rec.URL, slug, ns, ns, "  sync = true"),
				Check: func(*terraform.State) error {
					if !slices.Contains(rec.Writes(), "POST /api/user/repos") {
						return fmt.Errorf("sync = true sent no POST /api/user/repos: %v", rec.Calls())
					}
					for _, w := range rec.Writes() {
						if w != "POST /api/user/repos" {
							return fmt.Errorf("unexpected write %s", w)
						}
					}
					return nil
				},
			},
		},
	})
}

func TestAccDataSources_notFound(t *testing.T) {
	acctest.PreCheck(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      `data "drone_repo" "r" { repository = "nobody/nothing-here" }`,
				ExpectError: regexp.MustCompile(`(?s)404.*Drone does not know\s+nobody/nothing-here`),
			},
			{
				Config:      `data "drone_user" "u" { login = "no-such-user-anywhere" }`,
				ExpectError: regexp.MustCompile(`(?s)read data source drone_user.*404`),
			},
		},
	})
}
