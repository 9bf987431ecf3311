package drone_test

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/galaxias/terraform-provider-galaxias/internal/testing/acctest"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/drone08"
)

// The Drone 0.8 suite: every drone resource and data source against the
// in-process Drone 0.8 fake (internal/testing/drone08), or the clear error
// of what 0.8 does not have. It needs no stack.

// fake08 starts a Drone 0.8 fake with one repository in its SCM.
func fake08(t *testing.T) *drone08.Server {
	f := drone08.New(t, drone08.Options{})
	f.AddSCMRepo("octocat/hello", "main")
	f.AddSCMRepo("octocat/other", "develop")
	return f
}

// provider08 is a provider block for the fake, with extra settings.
func provider08(f *drone08.Server, extra string) string {
	return fmt.Sprintf("provider \"drone\" {\n  server = %q\n  token  = \"drone08-admin-token\"\n%s}\n", f.URL, extra)
}

// do08 calls the fake's API with the admin token, out of band.
func do08(t *testing.T, f *drone08.Server, method, path string, in, out any) {
	t.Helper()
	if err := acctest.DroneAt(t, f.URL, "drone08-admin-token").Do(context.Background(), method, path, in, out); err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
}

// words matches phrases in order; Terraform wraps long messages, so a
// space matches any white space.
func words(phrases ...string) *regexp.Regexp {
	q := make([]string, len(phrases))
	for i, p := range phrases {
		q[i] = strings.ReplaceAll(regexp.QuoteMeta(p), " ", `\s+`)
	}
	return regexp.MustCompile(`(?s)` + strings.Join(q, ".*"))
}

// noCall fails when the fake served a request matching prefix.
func noCall(f *drone08.Server, prefixes ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		for _, c := range f.Calls() {
			for _, p := range prefixes {
				if strings.HasPrefix(c, p) {
					return fmt.Errorf("the provider sent %s", c)
				}
			}
		}
		return nil
	}
}

// emptyState fails when the state holds resources.
func emptyState(s *terraform.State) error {
	if n := len(s.RootModule().Resources); n != 0 {
		return fmt.Errorf("state holds %d resources", n)
	}
	return nil
}

func TestDrone08_serverDataSource(t *testing.T) {
	t.Parallel()
	f := fake08(t)
	d := "data.drone_server.s"
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: provider08(f, "") + `data "drone_server" "s" {}`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(d, tfjsonpath.New("version"), knownvalue.StringExact("0.8.9")),
					statecheck.ExpectKnownValue(d, tfjsonpath.New("api_version"), knownvalue.StringExact("0.8")),
					statecheck.ExpectKnownValue(d, tfjsonpath.New("api_version_source"), knownvalue.StringExact("detected")),
					statecheck.ExpectKnownValue(d, tfjsonpath.New("server"), knownvalue.StringExact(f.URL)),
					statecheck.ExpectKnownValue(d, tfjsonpath.New("user"), knownvalue.StringExact("octocat")),
					statecheck.ExpectKnownValue(d, tfjsonpath.New("admin"), knownvalue.Bool(true)),
				},
			},
			{ // configured: the setting wins
				Config: provider08(f, "  api_version = \"0.8\"\n") + `data "drone_server" "s" {}`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(d, tfjsonpath.New("api_version"), knownvalue.StringExact("0.8")),
					statecheck.ExpectKnownValue(d, tfjsonpath.New("api_version_source"), knownvalue.StringExact("configured")),
				},
			},
		},
	})
	// Found once per provider run: one GET /version per Configure, never per resource.
	versions := slices.DeleteFunc(f.Calls(), func(c string) bool { return c != "GET /version" })
	users := slices.DeleteFunc(f.Calls(), func(c string) bool { return c != "GET /api/user" })
	if len(versions) == 0 || len(versions) != len(users) {
		t.Errorf("%d GET /version for %d provider configurations (GET /api/user): want one each", len(versions), len(users))
	}
}

// A server that reports no version is taken for 1.x; the environment
// variable chooses, and an invalid value is a clear error.
func TestDrone08_apiVersionSetting(t *testing.T) {
	f := drone08.New(t, drone08.Options{Version: "-"})
	d := "data.drone_server.s"
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: provider08(f, "") + `data "drone_server" "s" {}`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(d, tfjsonpath.New("version"), knownvalue.StringExact("")),
					statecheck.ExpectKnownValue(d, tfjsonpath.New("api_version"), knownvalue.StringExact("1")),
					statecheck.ExpectKnownValue(d, tfjsonpath.New("api_version_source"), knownvalue.StringExact("assumed")),
				},
			},
			{
				PreConfig: func() { t.Setenv("DRONE_API_VERSION", "0.8") },
				Config:    provider08(f, "") + `data "drone_server" "s" {}`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(d, tfjsonpath.New("api_version"), knownvalue.StringExact("0.8")),
					statecheck.ExpectKnownValue(d, tfjsonpath.New("api_version_source"), knownvalue.StringExact("configured")),
				},
			},
			{
				PreConfig:   func() { t.Setenv("DRONE_API_VERSION", "0.9") },
				Config:      provider08(f, "") + `data "drone_server" "s" {}`,
				ExpectError: words("api_version must be one of auto, 1, 0.8", "DRONE_API_VERSION"),
			},
			{
				PreConfig:   func() { t.Setenv("DRONE_API_VERSION", "") },
				Config:      provider08(f, "  api_version = \"2\"\n") + `data "drone_server" "s" {}`,
				ExpectError: regexp.MustCompile(`(?s)api_version.*value must be one of`),
			},
			{
				Config: provider08(f, "  api_version = \"auto\"\n") + `data "drone_server" "s" {}`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(d, tfjsonpath.New("api_version_source"), knownvalue.StringExact("assumed")),
				},
			},
		},
	})
}

func repo08Config(f *drone08.Server, slug, extra string) string {
	return provider08(f, "") + fmt.Sprintf("resource \"drone_repo\" \"r\" {\n  repository = %q\n%s}\n", slug, extra)
}

func checkRepo08(f *drone08.Server, slug string, check func(r drone08.Repo) error) resource.TestCheckFunc {
	return func(*terraform.State) error {
		r, ok := f.Repository(slug)
		if !ok {
			return fmt.Errorf("drone 0.8 does not know %s", slug)
		}
		return check(r)
	}
}

func TestDrone08_repo(t *testing.T) {
	t.Parallel()
	f := fake08(t)
	addr := "drone_repo.r"
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if r, ok := f.Repository("octocat/hello"); ok {
				return fmt.Errorf("remove_on_destroy: Drone 0.8 still has a record of octocat/hello (active %v)", r.Active)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{ // create: synced by GET ?flush=true, enabled, settings in 0.8's names
				Config: repo08Config(f, "octocat/hello", "  configuration = \".ci.yml\"\n  protected = true\n  trusted = true\n  timeout = 90\n  visibility = \"private\"\n"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact("octocat/hello")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("repository"), knownvalue.StringExact("octocat/hello")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("configuration"), knownvalue.StringExact(".ci.yml")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("protected"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("http_url"), knownvalue.StringExact("http://scm.example/octocat/hello.git")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("link"), knownvalue.StringExact("http://scm.example/octocat/hello")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("default_branch"), knownvalue.StringExact("main")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("active"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("throttle"), knownvalue.Int64Exact(0)),
				},
				Check: resource.ComposeTestCheckFunc(
					checkRepo08(f, "octocat/hello", func(r drone08.Repo) error {
						if !r.Active || r.Config != ".ci.yml" || !r.Gated || !r.Trusted || r.Timeout != 90 || r.Visibility != "private" {
							return fmt.Errorf("drone 0.8 has %+v", r)
						}
						if f.Hooks("octocat/hello") != 1 {
							return fmt.Errorf("%d webhooks, want 1", f.Hooks("octocat/hello"))
						}
						return nil
					}),
					noCall(f, "POST /api/user/repos"),
				),
			},
			{ // plan after apply: empty
				Config:   repo08Config(f, "octocat/hello", "  configuration = \".ci.yml\"\n  protected = true\n  trusted = true\n  timeout = 90\n  visibility = \"private\"\n"),
				PlanOnly: true,
			},
			{ // back to the defaults, in place
				Config: repo08Config(f, "octocat/hello", ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				Check: checkRepo08(f, "octocat/hello", func(r drone08.Repo) error {
					if r.Config != ".drone.yml" || r.Gated || r.Trusted || r.Timeout != 60 {
						return fmt.Errorf("drone 0.8 kept old settings: %+v", r)
					}
					return nil
				}),
			},
			{ // import by owner/name
				ResourceName: addr, ImportState: true, ImportStateId: "octocat/hello", ImportStateVerify: true,
			},
			{ // changed outside Terraform: the plan restores it
				PreConfig: func() { f.EditRepository("octocat/hello", func(r *drone08.Repo) { r.Config = ".other.yml" }) },
				Config:    repo08Config(f, "octocat/hello", ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				Check: checkRepo08(f, "octocat/hello", func(r drone08.Repo) error {
					if r.Config != ".drone.yml" {
						return fmt.Errorf("configuration not restored: %q", r.Config)
					}
					return nil
				}),
			},
			{ // disabled outside Terraform: enabled again
				PreConfig: func() { f.EditRepository("octocat/hello", func(r *drone08.Repo) { r.Active = false }) },
				Config:    repo08Config(f, "octocat/hello", ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
				}},
				Check: checkRepo08(f, "octocat/hello", func(r drone08.Repo) error {
					if !r.Active {
						return fmt.Errorf("not enabled again")
					}
					return nil
				}),
			},
			{ // remove_on_destroy: destroying deletes Drone's record
				Config: repo08Config(f, "octocat/hello", "  remove_on_destroy = true\n"),
			},
		},
	})
}

// A repository Drone 0.8 already lists (synced in its UI): the answers
// have no slug, so ebde772 recorded an empty repository ("inconsistent
// result") and a tainted instance with an empty id.
func TestDrone08_repoSynced(t *testing.T) {
	t.Parallel()
	f := fake08(t)
	do08(t, f, "GET", "/api/user/repos?flush=true", nil, nil)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: repo08Config(f, "octocat/hello", "  timeout = 30\n"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("drone_repo.r", tfjsonpath.New("id"), knownvalue.StringExact("octocat/hello")),
					statecheck.ExpectKnownValue("drone_repo.r", tfjsonpath.New("repository"), knownvalue.StringExact("octocat/hello")),
					statecheck.ExpectKnownValue("drone_repo.r", tfjsonpath.New("timeout"), knownvalue.Int64Exact(30)),
				},
			},
			{Config: repo08Config(f, "octocat/hello", "  timeout = 30\n"), PlanOnly: true},
		},
	})
}

// Enabling a repository that is already active answers 409 on 0.8: the
// provider takes it over.
func TestDrone08_repoAlreadyActive(t *testing.T) {
	t.Parallel()
	f := fake08(t)
	do08(t, f, "GET", "/api/user/repos?flush=true", nil, nil)
	do08(t, f, "POST", "/api/repos/octocat/other", nil, nil)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: repo08Config(f, "octocat/other", ""),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("drone_repo.r", tfjsonpath.New("default_branch"), knownvalue.StringExact("develop")),
			},
			Check: func(*terraform.State) error {
				if n := f.Hooks("octocat/other"); n != 1 {
					return fmt.Errorf("%d webhooks, want the one made before", n)
				}
				return nil
			},
		}},
	})
}

// The 1.x-only settings are refused at plan time on 0.8, naming the
// attribute and the version; at their defaults they are fine.
func TestDrone08_repoV1Settings(t *testing.T) {
	t.Parallel()
	f := fake08(t)
	var steps []resource.TestStep
	for _, s := range []string{"throttle = 2", "ignore_forks = true", "ignore_pulls = true", "cancel_pulls = true", "cancel_push = true", "cancel_running = true"} {
		name := strings.Fields(s)[0]
		steps = append(steps, resource.TestStep{
			Config:      repo08Config(f, "octocat/hello", "  "+s+"\n"),
			PlanOnly:    true,
			ExpectError: words(name+" is not available on Drone 0.8.9", "Drone 0.8.9 has no "+name+" setting"),
		})
	}
	steps = append(steps, resource.TestStep{
		Config: repo08Config(f, "octocat/hello", "  throttle = 0\n  ignore_forks = false\n  cancel_running = false\n"),
		Check: checkRepo08(f, "octocat/hello", func(r drone08.Repo) error {
			if !r.Active {
				return fmt.Errorf("not enabled")
			}
			return nil
		}),
	})
	resource.UnitTest(t, resource.TestCase{ProtoV6ProviderFactories: acctest.ProviderFactories, Steps: steps})
}
