package galaxias_test

// Rock-dialect tests of facts recorded from the re-implementation
// (/work/shared/reference/rock-transcripts): app configs of no values,
// description limits, project environments that cannot be deleted while an
// app config names them, and clusters whose API server does not answer.
// Each starts its own reference server (startRock).

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/galaxias/terraform-provider-galaxias/internal/acctest"
	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
)

// app_configs 20-21: "{}" is a config the re-implementation accepts and
// answers as it is. Such a config imports (with values "{}"), and its plan
// is then empty; a config that the provider's destroy emptied does not
// exist for an import.
func TestAccRockLimits_appConfigEmptyImports(t *testing.T) {
	rs := startRock(t)
	p := rs.r.project("p", "")
	cl := rs.r.cluster("c")
	pe := rs.r.projectEnv(p.ID, rs.r.env(cl.ID, "ns", "").ID, "pe", "")
	a, gone := rs.r.app(client.AppInput{ProjectID: p.ID, Name: "a"}), rs.r.app(client.AppInput{ProjectID: p.ID, Name: "gone"})
	rs.r.config(a.ID, pe.ID, "{}")
	rs.r.config(gone.ID, pe.ID, "x: 1\n")
	if _, err := rs.r.api.RemoveAppConfig(rs.r.ctx, gone.ID, pe.ID); err != nil { // emptied, as a destroy does
		t.Fatal(err)
	}
	cfg := func(app int64) string {
		return rs.provider + fmt.Sprintf(`
import {
  to = galaxias_app_config.v
  id = "%d/%d"
}
resource "galaxias_app_config" "v" {
  app_id                 = %d
  project_environment_id = %d
  values                 = "{}"
}`, app, pe.ID, app, pe.ID)
	}
	addr := "galaxias_app_config.v"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg(gone.ID), PlanOnly: true, ExpectError: rtWords("Cannot import non-existent remote object")},
			{
				Config: cfg(a.ID),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("values"), knownvalue.StringExact("{}")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact(fmt.Sprintf("%d/%d", a.ID, pe.ID))),
				},
			},
			{ResourceName: addr, ImportState: true, ImportStateVerify: true, ImportStateId: fmt.Sprintf("%d/%d", a.ID, pe.ID)},
		},
	})
}
