package drone_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/galaxias/terraform-provider-galaxias/internal/testing/acctest"
)

// What Drone 0.8 does not have (organisation secrets, cron jobs,
// templates) is a clear plan-time error: nothing is sent, nothing is kept
// in state.
func TestDrone08_unsupported(t *testing.T) {
	t.Parallel()
	f := fake08(t)
	cases := []struct{ block, want string }{
		{`resource "drone_orgsecret" "x" {
  namespace = "octocat"
  name      = "registry"
  value     = "s3cret"
}`, "Drone 0.8.9 has no organisation secrets API; it needs Drone ≥ 1.0"},
		{`resource "drone_cron" "x" {
  repository = "octocat/hello"
  name       = "nightly"
  expr       = "@daily"
}`, "Drone 0.8.9 has no cron API; it needs Drone ≥ 1.0"},
		{`resource "drone_template" "x" {
  namespace = "octocat"
  name      = "go.yaml"
  data      = "kind: pipeline"
}`, "Drone 0.8.9 has no templates API; it needs Drone ≥ 2.0"},
		{`data "drone_orgsecrets" "x" { namespace = "octocat" }`, "Drone 0.8.9 has no organisation secrets API"},
		{`data "drone_cron" "x" {
  repository = "octocat/hello"
  name       = "nightly"
}`, "Drone 0.8.9 has no cron API; it needs Drone ≥ 1.0"},
		{`data "drone_crons" "x" { repository = "octocat/hello" }`, "Drone 0.8.9 has no cron API"},
		{`data "drone_template" "x" {
  namespace = "octocat"
  name      = "go.yaml"
}`, "Drone 0.8.9 has no templates API"},
		{`data "drone_templates" "x" { namespace = "octocat" }`, "Drone 0.8.9 has no templates API"},
	}
	for _, tc := range cases {
		kind := strings.Fields(tc.block)[0] + " " + strings.Trim(strings.Fields(tc.block)[1], `"`)
		t.Run(kind, func(t *testing.T) {
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProviderFactories,
				Steps: []resource.TestStep{
					{ // plan: a clear error
						Config: provider08(f, "") + tc.block, PlanOnly: true,
						ExpectError: words(tc.want, "Remove it from the configuration for this server"),
					},
					{ // apply: the same error, before any request; nothing in state
						Config:      provider08(f, "") + tc.block,
						ExpectError: words(tc.want),
					},
					{Config: provider08(f, ""), Check: emptyState},
				},
			})
		})
	}
	for _, c := range f.Calls() {
		if c != "GET /api/user" && c != "GET /version" {
			t.Errorf("the provider sent %s", c)
		}
	}
}

// With a provider configuration known only at apply, the plan cannot know
// the server: it succeeds, and the apply stops with the same clear error,
// before any request and with nothing in state.
func TestDrone08_unknownProviderConfigAtPlan(t *testing.T) {
	t.Parallel()
	f := fake08(t)
	cfg := fmt.Sprintf(`
resource "terraform_data" "srv" {
  input = %q
}
provider "drone" {
  server = terraform_data.srv.output
  token  = "drone08-admin-token"
}
resource "drone_cron" "c" {
  repository = "octocat/hello"
  name       = "nightly"
  expr       = "@daily"
}
`, f.URL)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg, PlanOnly: true, ExpectNonEmptyPlan: true},
			{Config: cfg, ExpectError: words("Drone 0.8.9 has no cron API; it needs Drone ≥ 1.0")},
			{
				Config: fmt.Sprintf("resource \"terraform_data\" \"srv\" {\n  input = %q\n}\n", f.URL),
				Check: func(s *terraform.State) error {
					if _, ok := s.RootModule().Resources["drone_cron.c"]; ok {
						return fmt.Errorf("drone_cron.c is in state")
					}
					return nil
				},
			},
		},
	})
	for _, c := range f.Calls() {
		if c != "GET /api/user" && c != "GET /version" {
			t.Errorf("the provider sent %s", c)
		}
	}
}
