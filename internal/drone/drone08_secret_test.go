package drone_test

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/galaxias/terraform-provider-galaxias/internal/testing/acctest"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/drone08"
)

// secret08Config is a repository and one secret on the fake.
func secret08Config(f *drone08.Server, body string) string {
	return repo08Config(f, "octocat/hello", "") + fmt.Sprintf(`
resource "drone_secret" "s" {
  repository = drone_repo.r.repository
  name       = "docker_password"
%s
}
`, body)
}

// checkSecret08 compares the secret as the fake stores it, its value
// included, with the value and events wanted (images: none unless given).
func checkSecret08(f *drone08.Server, value string, events []string, images ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		s, ok := f.SecretOf("octocat/hello", "docker_password")
		if !ok {
			return fmt.Errorf("drone 0.8 has no secret docker_password")
		}
		slices.Sort(images)
		got := slices.Sorted(slices.Values(s.Images))
		if s.Value != value || !slices.Equal(s.Events, events) || !slices.Equal(got, images) {
			return fmt.Errorf("drone 0.8 has value %q events %v images %v, want %q %v %v", s.Value, s.Events, got, value, events, images)
		}
		return nil
	}
}

func eventsAre(addr string, events ...string) statecheck.StateCheck {
	checks := make([]knownvalue.Check, len(events))
	for i, e := range events {
		checks[i] = knownvalue.StringExact(e)
	}
	return statecheck.ExpectKnownValue(addr, tfjsonpath.New("events"), knownvalue.SetExact(checks))
}

func TestDrone08_secret(t *testing.T) {
	t.Parallel()
	f := fake08(t)
	addr := "drone_secret.s"
	noPR := []string{"deployment", "push", "tag"}
	withPR := []string{"deployment", "pull_request", "push", "tag"}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if _, ok := f.SecretOf("octocat/hello", "docker_password"); ok {
				return fmt.Errorf("secret still there after destroy")
			}
			return nil
		},
		Steps: []resource.TestStep{
			{ // created as {name, value, image, event}, with explicit events
				Config: secret08Config(f, `  value = "s3cret-1"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("events"), knownvalue.SetSizeExact(3)),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact("octocat/hello/docker_password")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("allow_on_pull_request"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("images"), knownvalue.Null()),
					eventsAre(addr, noPR...),
				},
				Check: checkSecret08(f, "s3cret-1", noPR),
			},
			{Config: secret08Config(f, `  value = "s3cret-1"`), PlanOnly: true},
			{ // a new value reaches Drone (0.8's field is value, not data)
				Config: secret08Config(f, `  value = "s3cret-2"`),
				Check:  checkSecret08(f, "s3cret-2", noPR),
			},
			{ // pull requests: the pull_request event
				Config:            secret08Config(f, "  value = \"s3cret-2\"\n  allow_on_pull_request = true"),
				ConfigStateChecks: []statecheck.StateCheck{eventsAre(addr, withPR...)},
				Check:             checkSecret08(f, "s3cret-2", withPR),
			},
			{ // and off again: the events are sent, never an empty list
				Config:            secret08Config(f, `  value = "s3cret-2"`),
				ConfigStateChecks: []statecheck.StateCheck{eventsAre(addr, noPR...)},
				Check:             checkSecret08(f, "s3cret-2", noPR),
			},
			{ // events and images set: allow_on_pull_request follows the events
				Config: secret08Config(f, "  value = \"s3cret-2\"\n  events = [\"push\", \"pull_request\"]\n  images = [\"plugins/docker\"]"),
				ConfigStateChecks: []statecheck.StateCheck{
					eventsAre(addr, "pull_request", "push"),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("allow_on_pull_request"), knownvalue.Bool(true)),
				},
				Check: checkSecret08(f, "s3cret-2", []string{"pull_request", "push"}, "plugins/docker"),
			},
			{Config: secret08Config(f, "  value = \"s3cret-2\"\n  events = [\"push\", \"pull_request\"]\n  images = [\"plugins/docker\"]"), PlanOnly: true},
			{ // import by owner/repo/name: Drone never returns the value
				ResourceName: addr, ImportState: true, ImportStateId: "octocat/hello/docker_password",
				ImportStateVerify: true, ImportStateVerifyIgnore: []string{"value"},
			},
			{ // no images any more: 0.8 cannot empty the list in place, so the secret is replaced
				Config: secret08Config(f, "  value = \"s3cret-2\"\n  events = [\"push\", \"pull_request\"]"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				Check: checkSecret08(f, "s3cret-2", []string{"pull_request", "push"}),
			},
			{ // changed outside Terraform: the plan restores the events
				PreConfig: func() {
					f.PutSecret("octocat/hello", drone08.Secret{Name: "docker_password", Value: "s3cret-2", Events: []string{"push"}})
				},
				Config: secret08Config(f, "  value = \"s3cret-2\"\n  events = [\"push\", \"pull_request\"]"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				Check: checkSecret08(f, "s3cret-2", []string{"pull_request", "push"}),
			},
			{ // deleted outside Terraform: created again
				PreConfig: func() { f.DeleteSecret("octocat/hello", "docker_password") },
				Config:    secret08Config(f, `  value = "s3cret-3"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
				}},
				Check: checkSecret08(f, "s3cret-3", noPR),
			},
			{ // stored with no events outside Terraform: 0.8 gives it to every event, pull requests
				// included, and the refresh says so ...
				PreConfig:          func() { f.PutSecret("octocat/hello", drone08.Secret{Name: "docker_password", Value: "s3cret-3"}) },
				RefreshState:       true,
				ExpectNonEmptyPlan: true,
				Check:              resource.TestCheckResourceAttr(addr, "allow_on_pull_request", "true"),
			},
			{ // ... and the apply writes the configured events explicitly
				Config: secret08Config(f, `  value = "s3cret-3"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				Check: checkSecret08(f, "s3cret-3", noPR),
			},
		},
	})
}

func TestDrone08_secretWriteOnly(t *testing.T) {
	t.Parallel()
	f := fake08(t)
	cfg := func(v int) string {
		return secret08Config(f, fmt.Sprintf("  value_wo = \"token-v%d\"\n  value_wo_version = %d", v, v))
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		Steps: []resource.TestStep{
			{Config: cfg(1), Check: checkSecret08(f, "token-v1", []string{"deployment", "push", "tag"})},
			{Config: cfg(1), PlanOnly: true},
			{Config: cfg(2), Check: checkSecret08(f, "token-v2", []string{"deployment", "push", "tag"})},
		},
	})
}

// What 0.8 secrets cannot carry is refused at plan time, before any request.
func TestDrone08_secretPlanErrors(t *testing.T) {
	t.Parallel()
	f := fake08(t)
	step := func(body string, want ...string) resource.TestStep {
		return resource.TestStep{Config: secret08Config(f, body), PlanOnly: true, ExpectError: words(want...)}
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			step("  value = \"x\"\n  allow_push_on_pull_request = true",
				"allow_push_on_pull_request is not available on Drone 0.8.9", "Drone 0.8.9 secrets have no pull_request_push"),
			step("  value = \"x\"\n  allow_on_pull_request = false\n  events = [\"pull_request\"]",
				"allow_on_pull_request and events disagree", "Drone 0.8.9"),
			step("  value = \"x\"\n  events = []", "events", "at least 1"),
			step("  value = \"x\"\n  events = [\"cron\"]", "events", "value must be one of"),
		},
	})
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: repo08Config(f, "octocat/hello", "") + `
resource "drone_secret" "s" {
  repository = drone_repo.r.repository
  name       = "Docker_Password"
  value      = "x"
}`,
			PlanOnly:    true,
			ExpectError: words("Secret names are lower case on Drone 0.8.9", `name = "docker_password"`),
		}},
	})
	if w := f.Writes(); len(w) != 0 {
		t.Errorf("plan-time errors sent writes: %v", w)
	}
}

// On Drone 1.x, the 0.8 attributes are explained, not ignored.
func TestSecret_drone08AttributesOn1x(t *testing.T) {
	t.Parallel()
	d2 := newFakeDrone2(t)
	for _, attr := range []string{`events = ["push"]`, `images = ["plugins/docker"]`} {
		name := strings.Fields(attr)[0]
		resource.UnitTest(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.ProviderFactories,
			Steps: []resource.TestStep{{
				Config:      fmt.Sprintf("provider \"drone\" {\n  server = %q\n  token = \"t2\"\n}\nresource \"drone_secret\" \"s\" {\n  repository = \"o/r\"\n  name = \"n\"\n  value = \"v\"\n  %s\n}\n", d2.URL, attr),
				PlanOnly:    true,
				ExpectError: words(name+" is a Drone 0.8 setting", "Drone 2.20.0 secrets have no event or image lists"),
			}},
		})
	}
}

// A refresh of Drone 0.8 secrets reads them with one list request per
// repository; a secret deleted out of band costs one confirming read.
func TestDrone08_refreshOneListPerRepository(t *testing.T) {
	t.Parallel()
	f := fake08(t)
	cfg := repo08Config(f, "octocat/hello", "") + `
resource "drone_secret" "s" {
  count      = 3
  repository = drone_repo.r.repository
  name       = "secret_${count.index}"
  value      = "v${count.index}"
}
`
	const list = "GET /api/repos/octocat/hello/secrets"
	var seen int
	mark := func() { seen = len(f.Calls()) }
	// secretReads counts the reads of the repository's secrets since mark.
	secretReads := func() map[string]int {
		out := map[string]int{}
		for _, c := range f.Calls()[seen:] {
			if strings.HasPrefix(c, list) {
				out[c]++
			}
		}
		return out
	}
	expect := func(want map[string]int) resource.TestCheckFunc {
		return func(*terraform.State) error {
			if got := secretReads(); !maps.Equal(got, want) {
				return fmt.Errorf("the refresh read the secrets with %v, want %v", got, want)
			}
			return nil
		}
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg},
			{PreConfig: mark, RefreshState: true, Check: expect(map[string]int{list: 1})},
			{
				PreConfig: func() {
					do08(t, f, "DELETE", "/api/repos/octocat/hello/secrets/secret_1", nil, nil)
					mark()
				},
				RefreshState:       true,
				ExpectNonEmptyPlan: true,
				Check:              expect(map[string]int{list: 1, list + "/secret_1": 1}),
				RefreshPlanChecks: resource.RefreshPlanChecks{PostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("drone_secret.s[1]", plancheck.ResourceActionCreate),
				}},
			},
		},
	})
}
