package galaxias_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/acctest"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/galaxiasapi"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/refserver"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/refserver/refservertest"
)

// The platform's pipelines deploy: each build's last step posts its chart
// version to POST /v1/deployments, and the configuration ignores
// chart_version. These tests run on a server of their own, in the dialect
// of the run (contract, or rock with GALAXIAS_DIALECT=rock).

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
	d := must[*client.Deployment](t)(galaxiasapi.Deploy(context.Background(), w.api, client.DeploymentInput{AppID: w.app.ID,
		ProjectEnvID: w.pe.ID, ChartName: w.app.Name, ChartVersion: version, Description: "pipeline build"}))
	return d.ID
}

// ownWorld is a world on a reference server of the test's own, in the
// dialect of the run (GALAXIAS_DIALECT), so that the server's request
// counter holds only the test's requests. It returns the provider block
// for that server.
func ownWorld(t *testing.T, values string, versions ...string) (*world, string) {
	t.Helper()
	acctest.SkipUnlessAcc(t)
	if acctest.IsRock(t) {
		rs := startRock(t)
		w := newWorld(t, rs.r, values, versions...)
		w.url = rs.srv.URL
		return w, rs.provider
	}
	srv := refservertest.Start(t, refserver.Options{})
	hc, spy := galaxiasapi.Spy(nil)
	api, err := client.New(client.Options{BaseURL: srv.URL, Username: refservertest.AdminName, Password: refservertest.AdminPassword, HTTPClient: hc})
	if err != nil {
		t.Fatal(err)
	}
	r := records{t: t, api: api, token: spy.Token, ctx: context.Background(),
		kubeconfig: func(string) string { return srv.Kubeconfig },
		push: func(name, version string) {
			if err := srv.Server.ChartRepo().Upload(context.Background(), refserver.TestChart(name, version)); err != nil {
				t.Fatal(err)
			}
		}}
	// The provider logs in as a second admin: its logins never replace
	// the test client's token.
	const tfName, tfPassword = "tfadmin", "Tf-admin-pw1"
	must[*client.User](t)(api.CreateUser(r.ctx, client.UserInput{Name: tfName, Password: tfPassword,
		Email: "tfadmin@example.com", Role: client.RoleAdmin}))
	w := newWorld(t, r, values, versions...)
	w.url = srv.URL
	return w, fmt.Sprintf("provider \"galaxias\" {\n  endpoint = %q\n  username = %q\n  password = %q\n}\n",
		srv.URL, tfName, tfPassword)
}

// serverRequests counts the requests the world's own server received.
func (w *world) serverRequests(t *testing.T) map[string]int {
	t.Helper()
	return acctest.GalaxiasRequestsAt(t, w.url, w.token())
}

// noDeployWritesSince fails the test if the world's server received a
// request that deploys or uninstalls since the counts before.
func (w *world) noDeployWritesSince(t *testing.T, before map[string]int) {
	t.Helper()
	writes := map[string]int{}
	for k, n := range acctest.RequestsSince(before, w.serverRequests(t)) {
		if method, path, _ := strings.Cut(k, " "); deployWrites(method, path) {
			writes[k] = n
		}
	}
	if err := acctest.CompareCounts(writes, nil); err != nil {
		t.Fatalf("the failed apply deployed or uninstalled: %v", err)
	}
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
	w, provider := ownWorld(t, valuesA, "1.1.0-master-aaaaaa", "1.2.0-master-bbbbbb", "1.3.0-master-cccccc")
	v1, v2, v3 := w.versions[0], w.versions[1], w.versions[2]
	addr := "galaxias_deployment.d"
	var byPipeline, racing int64
	var before map[string]int
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             w.uninstalled(t),
		Steps: []resource.TestStep{
			{
				Config: provider + w.wiredConfig(v1, valuesA, pipelineLifecycle),
				Check:  w.runsValues(t, valuesA, 1),
			},
			{ // the pipeline deploys v2: no drift, nothing to do
				PreConfig: func() { byPipeline = w.pipelineDeploy(t, v2) },
				Config:    provider + w.wiredConfig(v1, valuesA, pipelineLifecycle),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("chart_version"), knownvalue.StringExact(v2)),
				},
				Check: func(*terraform.State) error { return w.runsDeployment(t, v2, byPipeline) },
			},
			{ // new values planned; the pipeline deploys v3 before the apply
				Config: provider + w.wiredConfig(v1, valuesB, pipelineLifecycle),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("chart_version"), knownvalue.StringExact(v2)),
					planCheckFunc(func() error {
						racing = w.pipelineDeploy(t, v3)
						before = w.serverRequests(t)
						return nil
					}),
				}},
				ExpectError: rtWords("a deployment landed since the plan: release", "runs chart version "+v3+" now",
					fmt.Sprintf("the plan expected %s", v2), "Run terraform plan again"),
			},
			{ // nothing was posted, the pipeline's v3 runs; the new plan rolls the values out on v3
				PreConfig: func() {
					w.noDeployWritesSince(t, before)
					if err := w.checkRuns(t, racing, valuesA, 3); err != nil {
						t.Fatalf("after the failed apply: %v", err)
					}
					if err := w.runsDeployment(t, v3, racing); err != nil {
						t.Fatalf("after the failed apply: %v", err)
					}
				},
				Config: provider + w.wiredConfig(v1, valuesB, pipelineLifecycle),
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
	w, provider := ownWorld(t, valuesA, "1.1.0-master-aaaaaa", "1.2.0-master-bbbbbb", "1.3.0-master-cccccc")
	v1, v2, v3 := w.versions[0], w.versions[1], w.versions[2]
	addr := "galaxias_deployment.d"
	var racing int64
	var before map[string]int
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             w.uninstalled(t),
		Steps: []resource.TestStep{
			{Config: w.config(provider, v1, ""), Check: w.expect(t, v1, 1)},
			{
				Config: w.config(provider, v2, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					planCheckFunc(func() error {
						racing = w.pipelineDeploy(t, v3)
						before = w.serverRequests(t)
						return nil
					}),
				}},
				ExpectError: rtWords("a deployment landed since the plan: release", "runs chart version "+v3+" now",
					fmt.Sprintf("the plan expected %s", v1), "Run terraform plan again"),
			},
			{
				PreConfig: func() {
					w.noDeployWritesSince(t, before)
					if err := w.runsDeployment(t, v3, racing); err != nil {
						t.Fatalf("after the failed apply: %v", err)
					}
				},
				Config: w.config(provider, v2, ""),
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
