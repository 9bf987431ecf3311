package galaxias_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/acctest"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/galaxiasapi"
)

// The re-implementation's instance lists carry no last_deployment, app_id
// or env_id (rock-transcripts/deployments.jsonl 27, 34, 36; recorded with
// the provider: terraform-deployment.jsonl 29, 43). These tests run the
// deployment's whole life on a rock-dialect server of their own, so that
// the server's request counter holds only their requests.

// rockRequests counts the requests a rock test server received.
type rockRequests struct {
	rs     *rockServer
	before map[string]int
}

func (c *rockRequests) mark(t *testing.T) {
	c.before = acctest.GalaxiasRequestsAt(t, c.rs.srv.URL, c.rs.r.token())
}

// since returns the requests since mark whose "METHOD /path" keep accepts.
func (c *rockRequests) since(t *testing.T, keep func(method, path string) bool) map[string]int {
	out := map[string]int{}
	for k, n := range acctest.RequestsSince(c.before, acctest.GalaxiasRequestsAt(t, c.rs.srv.URL, c.rs.r.token())) {
		method, path, _ := strings.Cut(k, " ")
		if keep(method, path) {
			out[k] = n
		}
	}
	return out
}

// deployWrites keeps what deploys or uninstalls.
func deployWrites(method, path string) bool {
	return method != "GET" && (strings.HasPrefix(path, "/v1/deployments") || strings.HasPrefix(path, "/v1/instances"))
}

// rockRelease returns the server's instance of the release name and its record
// by id (which names its app, env and last deployment), or nil: listed
// without an app or env filter, so that no attribution is involved.
func rockRelease(t *testing.T, rs *rockServer, name string) *client.Instance {
	t.Helper()
	list := must[[]client.Instance](t)(rs.r.api.ListInstances(rs.r.ctx, client.InstanceFilter{Name: name}))
	if len(list) != 1 {
		if len(list) > 1 {
			t.Fatalf("%d releases named %s: %+v", len(list), name, list)
		}
		return nil
	}
	return must[*client.Instance](t)(rs.r.api.GetInstance(rs.r.ctx, list[0].ID))
}

func TestAccDeployment_rockLifecycle(t *testing.T) {
	rs := startRock(t)
	v1, v2 := "1.0.0-master-aaaaaa", "1.1.0-master-bbbbbb"
	d, cfg := rockDeployable(rs, "web", "replicaCount: 1\n", v1, v2)
	reqs := &rockRequests{rs: rs}
	addr, release := "galaxias_deployment.d", "web-"+d.env.Namespace
	var instID int64
	// runs checks that the release runs version, made by the state's
	// deployment, and that the step posted exactly posts deployments and
	// deleted nothing.
	runs := func(version string, posts int) resource.TestCheckFunc {
		return func(s *terraform.State) error {
			want := map[string]int{}
			if posts > 0 {
				want["POST /v1/deployments"] = posts
			}
			if err := acctest.CompareCounts(reqs.since(t, deployWrites), want); err != nil {
				return err
			}
			in := rockRelease(t, rs, release)
			if in == nil || in.ChartVersion != version || in.AppID != d.app.ID || in.EnvID != d.env.ID || in.LastDeployment != stateID(s, addr) {
				return fmt.Errorf("release %s: %+v; want %s by deployment %d", release, in, version, stateID(s, addr))
			}
			if instID != 0 && in.ID != instID {
				return fmt.Errorf("release %s is instance %d, was %d: a second release", release, in.ID, instID)
			}
			instID = in.ID
			return nil
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if _, err := rs.r.api.GetInstance(rs.r.ctx, instID); !client.IsNotFound(err) {
				return fmt.Errorf("uninstall_on_destroy = true, yet instance %d answers: %v", instID, err)
			}
			all := acctest.GalaxiasRequestsAt(t, rs.srv.URL, rs.r.token())
			if n := all[fmt.Sprintf("DELETE /v1/instances/%d", instID)]; n != 1 {
				return fmt.Errorf("DELETE /v1/instances/%d: %d requests, want 1", instID, n)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{ // one deployment; the plan after apply is empty
				PreConfig: func() { reqs.mark(t) },
				Config:    cfg(v1, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: runs(v1, 1),
			},
			{ // applying again plans and posts nothing
				PreConfig: func() { reqs.mark(t) },
				Config:    cfg(v1, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: runs(v1, 0),
			},
			{ // a refresh reads the release: the list and the one candidate by id
				PreConfig:    func() { reqs.mark(t) },
				RefreshState: true,
				Check: func(*terraform.State) error {
					reads := reqs.since(t, func(method, path string) bool {
						return method == "GET" && path != "/v1/projects" // but the provider's probe
					})
					t.Logf("requests of the refresh step: %v", reads)
					return acctest.CompareCounts(reads, map[string]int{
						"GET /v1/instances": 1, fmt.Sprintf("GET /v1/instances/%d", instID): 1,
					})
				},
			},
			{ // a new version posts once, and upgrades the same release
				PreConfig: func() { reqs.mark(t) },
				Config:    cfg(v2, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
						plancheck.ExpectUnknownValue(addr, tfjsonpath.New("id")),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: runs(v2, 1),
			},
			{ // import of the release that runs, by app_id/project_environment_id
				ResourceName: addr, ImportState: true, ImportStateVerify: true,
				ImportStateVerifyIgnore: []string{"description", "config_revision", "values_revision"},
				ImportStateIdFunc: func(*terraform.State) (string, error) {
					return fmt.Sprintf("%d/%d", d.app.ID, d.pe.ID), nil
				},
			},
			{ // a deployment made by hand is drift: the plan takes the release back
				PreConfig: func() {
					must[*client.Deployment](t)(galaxiasapi.Deploy(rs.r.ctx, rs.r.api, client.DeploymentInput{AppID: d.app.ID, ProjectEnvID: d.pe.ID,
						ChartName: "web", ChartVersion: v1, Description: "by hand"}))
					reqs.mark(t)
				},
				Config: cfg(v2, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(addr, tfjsonpath.New("chart_version"), knownvalue.StringExact(v2)),
						plancheck.ExpectUnknownValue(addr, tfjsonpath.New("id")),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: runs(v2, 1),
			},
		},
	})
}

// uninstall_on_destroy = false: destroy leaves the release running and
// sends no uninstall.
func TestAccDeployment_rockDestroyForgets(t *testing.T) {
	rs := startRock(t)
	d, cfg := rockDeployable(rs, "web", "replicaCount: 1\n", "2.0.0-master-cccccc")
	release := "web-" + d.env.Namespace
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			in := rockRelease(t, rs, release)
			if in == nil || in.ChartVersion != "2.0.0-master-cccccc" {
				return fmt.Errorf("the release must keep running after destroy, got %+v", in)
			}
			for k := range acctest.GalaxiasRequestsAt(t, rs.srv.URL, rs.r.token()) {
				if strings.HasPrefix(k, "DELETE /v1/instances/") {
					return fmt.Errorf("destroy uninstalled: %s", k)
				}
			}
			return nil
		},
		Steps: []resource.TestStep{{
			Config:           cfg("2.0.0-master-cccccc", "  uninstall_on_destroy = false"),
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		}},
	})
}
