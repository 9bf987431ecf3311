package galaxias_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/galaxias/terraform-provider-galaxias/internal/acctest"
	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
)

// The platform's pipelines deploy: each build's last step posts its chart
// version to POST /v1/deployments, and the configuration ignores
// chart_version. These tests run on the stack's server of either dialect.

const pipelineLifecycle = "  lifecycle {\n    ignore_changes = [chart_version]\n  }\n"

// planCheckFunc runs f as a plan check: PreApply checks run after the plan
// is saved and before it is applied, the moment a pipeline may deploy.
type planCheckFunc func() error

func (f planCheckFunc) CheckPlan(_ context.Context, _ plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	resp.Error = f()
}

// pipelineDeploy posts a deployment of version outside Terraform, as a
// pipeline's last step does, and returns its id.
func (w *world) pipelineDeploy(t *testing.T, version string) int64 {
	t.Helper()
	d := must[*client.Deployment](t)(w.api.Deploy(context.Background(), client.DeploymentInput{AppID: w.app.ID,
		ProjectEnvID: w.pe.ID, ChartName: w.app.Name, ChartVersion: version, Description: "pipeline build"}))
	return d.ID
}

// serverRequests counts the requests the stack's Galaxias server received.
func (w *world) serverRequests(t *testing.T) map[string]int {
	t.Helper()
	return acctest.GalaxiasRequestsAt(t, acctest.Env(t, "GALAXIAS_ENDPOINT"), w.api.Token())
}

// runsDeployment checks that the release runs version, made by deployment id.
func (w *world) runsDeployment(t *testing.T, version string, id int64) error {
	in := w.instance(t)
	if in == nil || in.ChartVersion != version || in.LastDeployment != id {
		return fmt.Errorf("the release is %+v; want %s by deployment %d", in, version, id)
	}
	return nil
}

// With ignore_changes = [chart_version], a pipeline's deployment is no
// drift, and a values rollout posts the version that runs. A pipeline
// deployment between the plan and the apply of a values change fails the
// apply, and nothing rolls it back; the next plan rolls the new values out
// on the pipeline's version.
func TestAccDeployment_pipelineDeploysBetweenPlanAndApply(t *testing.T) {
	w := newWorld(t, stackRecords(t), valuesA, "1.1.0-master-aaaaaa", "1.2.0-master-bbbbbb", "1.3.0-master-cccccc")
	v1, v2, v3 := w.versions[0], w.versions[1], w.versions[2]
	addr := "galaxias_deployment.d"
	var byPipeline, racing int64
	var before map[string]int
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             w.uninstalled(t),
		Steps: []resource.TestStep{
			{
				Config: w.wiredConfig(v1, valuesA, pipelineLifecycle),
				Check:  w.runsValues(t, valuesA, 1),
			},
			{ // the pipeline deploys v2: no drift, nothing to do
				PreConfig: func() { byPipeline = w.pipelineDeploy(t, v2) },
				Config:    w.wiredConfig(v1, valuesA, pipelineLifecycle),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("chart_version"), knownvalue.StringExact(v2)),
				},
				Check: func(*terraform.State) error { return w.runsDeployment(t, v2, byPipeline) },
			},
			{ // new values planned; the pipeline deploys v3 before the apply
				Config: w.wiredConfig(v1, valuesB, pipelineLifecycle),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("chart_version"), knownvalue.StringExact(v2)),
					planCheckFunc(func() error {
						racing = w.pipelineDeploy(t, v3)
						before = w.serverRequests(t)
						return nil
					}),
				}},
				ExpectError: rtWords("A deployment landed since the plan", "runs chart version "+v3+" now",
					fmt.Sprintf("the plan expected %s", v2), "Run terraform plan again"),
			},
			{ // nothing was posted, the pipeline's v3 runs; the new plan rolls the values out on v3
				PreConfig: func() {
					posted := acctest.RequestsSince(before, w.serverRequests(t))["POST /v1/deployments"]
					if posted != 0 {
						t.Fatalf("the failed apply posted %d deployments", posted)
					}
					if err := w.checkRuns(t, racing, valuesA, 3); err != nil {
						t.Fatalf("after the failed apply: %v", err)
					}
					if err := w.runsDeployment(t, v3, racing); err != nil {
						t.Fatalf("after the failed apply: %v", err)
					}
				},
				Config: w.wiredConfig(v1, valuesB, pipelineLifecycle),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(addr, tfjsonpath.New("chart_version"), knownvalue.StringExact(v3)),
						plancheck.ExpectUnknownValue(addr, tfjsonpath.New("id")),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeTestCheckFunc(w.runsValues(t, valuesB, 4), func(s *terraform.State) error {
					return w.runsDeployment(t, v3, stateID(s, addr))
				}),
			},
		},
	})
}

// Without ignore_changes, a planned upgrade that a pipeline deployment
// overtakes fails too: the new plan shows the change from what runs now to
// the configured version, and applying it deploys that once.
func TestAccDeployment_upgradeOvertakenByPipeline(t *testing.T) {
	w := newWorld(t, stackRecords(t), valuesA, "1.1.0-master-aaaaaa", "1.2.0-master-bbbbbb", "1.3.0-master-cccccc")
	v1, v2, v3 := w.versions[0], w.versions[1], w.versions[2]
	addr := "galaxias_deployment.d"
	var racing int64
	var before map[string]int
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             w.uninstalled(t),
		Steps: []resource.TestStep{
			{Config: w.config("", v1, ""), Check: w.expect(t, v1, 1)},
			{
				Config: w.config("", v2, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					planCheckFunc(func() error {
						racing = w.pipelineDeploy(t, v3)
						before = w.serverRequests(t)
						return nil
					}),
				}},
				ExpectError: rtWords("A deployment landed since the plan", "runs chart version "+v3+" now",
					fmt.Sprintf("the plan expected %s", v1), "Run terraform plan again"),
			},
			{
				PreConfig: func() {
					if n := acctest.RequestsSince(before, w.serverRequests(t))["POST /v1/deployments"]; n != 0 {
						t.Fatalf("the failed apply posted %d deployments", n)
					}
					if err := w.runsDeployment(t, v3, racing); err != nil {
						t.Fatalf("after the failed apply: %v", err)
					}
				},
				Config: w.config("", v2, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						expectDrift{addr: "chart_version"},
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(addr, tfjsonpath.New("chart_version"), knownvalue.StringExact(v2)),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: w.expect(t, v2, 3),
			},
		},
	})
}
