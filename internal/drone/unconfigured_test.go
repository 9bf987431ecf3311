package drone_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/galaxias/terraform-provider-galaxias/internal/testing/acctest"
)

// A provider whose server address comes from a resource being replaced is
// not configured during the plan: the secret in state is kept as it was
// (before, the plugin crashed on the refresh) and nothing is replaced.
func TestAccProvider_unknownServer(t *testing.T) {
	acctest.PreCheck(t)
	server := acctest.Env(t, "DRONE_SERVER")
	slug := activeRepo(t)
	cfg := func(trigger, providerServer string) string {
		return fmt.Sprintf(`
resource "terraform_data" "server" {
  input            = %q
  triggers_replace = [%q]
}

provider "drone" {
  server = %s
}

resource "drone_secret" "s" {
  repository = %q
  name       = "unknown_server"
  value      = "v"
}`, server, trigger, providerServer, slug)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg("1", fmt.Sprintf("%q", server))},
			{
				Config: cfg("2", "terraform_data.server.output"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectUnknownValue("terraform_data.server", tfjsonpath.New("output")),
					plancheck.ExpectResourceAction("drone_secret.s", plancheck.ResourceActionNoop),
				}},
			},
		},
	})
}
