package galaxias_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/galaxias/terraform-provider-galaxias/internal/testing/acctest"
)

// A provider whose endpoint comes from a resource that is being replaced
// (as when one configuration bootstraps the server it then manages) is not
// configured during the plan: the project in state is kept as it was —
// no crash, no replacement — and the apply, with the endpoint known,
// refreshes nothing away.
func TestAccProvider_unknownEndpoint(t *testing.T) {
	acctest.PreCheckGalaxias(t)
	endpoint := acctest.Env(t, "GALAXIAS_ENDPOINT")
	name := acctest.Name("unk")
	cfg := func(trigger, providerEndpoint string) string {
		return fmt.Sprintf(`
resource "terraform_data" "endpoint" {
  input            = %q
  triggers_replace = [%q]
}

provider "galaxias" {
  endpoint = %s
}

resource "galaxias_project" "p" {
  name = %q
}`, endpoint, trigger, providerEndpoint, name)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg("1", fmt.Sprintf("%q", endpoint))},
			{
				Config: cfg("2", "terraform_data.endpoint.output"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectUnknownValue("terraform_data.endpoint", tfjsonpath.New("output")),
					plancheck.ExpectResourceAction("galaxias_project.p", plancheck.ResourceActionNoop),
				}},
			},
		},
	})
}
