package galaxias_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias"
	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/acctest"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/galaxiasapi"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/kubecheck"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/refserver"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/refserver/refservertest"
)

const (
	valuesA = "replicaCount: 2\nimage:\n  tag: a\n"
	valuesB = "replicaCount: 3\nimage:\n  tag: b\n"
	// valuesB's data, written differently.
	valuesBReformatted = "# the same values\nimage: {tag: 'b'}\nreplicaCount: 3\n"
	valuesByHand       = "replicaCount: 7\nimage:\n  tag: hotfix\n"
)

// wiredConfig declares the world's values and a deployment that rolls out
// whenever they change.
func (w *world) wiredConfig(version, values, extra string) string {
	return fmt.Sprintf(`
resource "galaxias_app_config" "v" {
  app_id                 = %d
  project_environment_id = %d
  values                 = %q
}

resource "galaxias_deployment" "d" {
  app_id                 = galaxias_app_config.v.app_id
  project_environment_id = galaxias_app_config.v.project_environment_id
  chart_version          = %q
  config_revision        = galaxias_app_config.v.revision
%s
}`, w.app.ID, w.pe.ID, values, version, extra)
}

// instance returns the instance of the app in the env, or nil.
func (w *world) instance(t *testing.T) *client.Instance {
	t.Helper()
	list := must[[]client.Instance](t)(w.api.ListInstances(context.Background(), client.InstanceFilter{AppID: w.app.ID, EnvID: w.env.ID}))
	if len(list) == 0 {
		return nil
	}
	return &list[len(list)-1]
}

// release reads what the reference server last rendered for an instance,
// through its test-only route (a cluster's `helm get values` and `helm get
// manifest`).
func (w *world) release(t *testing.T, instanceID int64) refserver.Release {
	t.Helper()
	base := w.url
	if base == "" {
		base = acctest.Env(t, "GALAXIAS_ENDPOINT")
	}
	req, err := http.NewRequest("GET", fmt.Sprintf("%s/v1/_test/instances/%d/release", strings.TrimSuffix(base, "/"), instanceID), nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+w.token())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var r refserver.Release
	if resp.StatusCode != 200 {
		t.Fatalf("GET release of instance %d: HTTP %d", instanceID, resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		t.Fatal(err)
	}
	return r
}

// runsValues checks that the release runs the state's deployment and was
// rendered with values that hold the data of want, replicas in the manifest.
func (w *world) runsValues(t *testing.T, want string, deployments int) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		return w.checkRuns(t, stateID(s, "galaxias_deployment.d"), want, deployments)
	}
}

// checkRuns checks that the release runs deployment id, rendered with values
// that hold the data of want, and that there are so many deployments.
func (w *world) checkRuns(t *testing.T, id int64, want string, deployments int) error {
	in := w.instance(t)
	if in == nil {
		return fmt.Errorf("nothing runs")
	}
	if in.LastDeployment != id {
		return fmt.Errorf("the instance's last deployment is %d, want %d", in.LastDeployment, id)
	}
	if n := w.deployments(t); n != deployments {
		return fmt.Errorf("%d deployment records, want %d", n, deployments)
	}
	exp, err := galaxias.NormalizeYAML(want)
	if err != nil {
		return err
	}
	var v struct {
		ReplicaCount int
		Image        struct{ Tag string }
	}
	_ = json.Unmarshal([]byte(exp), &v)
	if v.Image.Tag == "" {
		v.Image.Tag = "latest" // the test chart's default
	}
	if kc := w.kube(t); kc != nil {
		// Where a user looks: the release's Deployment in the API server.
		d, err := kc.Running(context.Background(), w.env.Namespace, in.Name)
		if err != nil {
			return err
		}
		image := fmt.Sprintf("registry.example.com/%s:%s", in.ChartName, v.Image.Tag)
		if d.Replicas != int32(v.ReplicaCount) || len(d.Images) != 1 || d.Images[0] != image ||
			d.Labels["app.kubernetes.io/version"] != in.ChartVersion {
			return fmt.Errorf("the API server's Deployment %s/%s runs %d replicas of %v (chart %s); want %d of %s (chart %s)",
				w.env.Namespace, in.Name, d.Replicas, d.Images, d.Labels["app.kubernetes.io/version"], v.ReplicaCount, image, in.ChartVersion)
		}
		return nil
	}
	rel := w.release(t, in.ID)
	if got, err := galaxias.NormalizeYAML(rel.Values); err != nil || got != exp {
		return fmt.Errorf("the release was rendered with values\n%s\nwant the data of\n%s", rel.Values, want)
	}
	if line := fmt.Sprintf("replicas: \"%d\"", v.ReplicaCount); !strings.Contains(rel.Manifest, line) {
		return fmt.Errorf("the rendered manifest lacks %q:\n%s", line, rel.Manifest)
	}
	return nil
}

// kube is a client of the API server the world's cluster points at, or nil
// when the world runs on a server of the test's own (which only renders).
func (w *world) kube(t *testing.T) *kubecheck.Client {
	t.Helper()
	if w.url != "" {
		return nil
	}
	kc, err := kubecheck.FromEnv()
	if err != nil {
		t.Fatal(err)
	}
	return kc
}

// uninstalled checks that destroy, with the default uninstall_on_destroy,
// left nothing running.
func (w *world) uninstalled(t *testing.T) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if in := w.instance(t); in != nil {
			return fmt.Errorf("destroy with the default uninstall_on_destroy left %s running", in.Name)
		}
		if kc := w.kube(t); kc != nil {
			release := w.app.Name + "-" + w.env.Namespace
			left, err := kc.ReleaseObjects(context.Background(), w.env.Namespace, release)
			if err != nil || len(left) > 0 {
				return fmt.Errorf("destroy left %v of release %s in the API server (%v)", left, release, err)
			}
		}
		return nil
	}
}

// lastDeployment remembers the instance's last deployment.
func (w *world) lastDeployment(t *testing.T, into *int64) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if in := w.instance(t); in != nil {
			*into = in.LastDeployment
		}
		return nil
	}
}

// expectDrift is a plan check: Terraform's refresh found that each address
// changed outside Terraform, in the named attribute.
type expectDrift map[string]string

func (e expectDrift) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for addr, attr := range e {
		found := false
		for _, rc := range req.Plan.ResourceDrift {
			if rc.Address != addr || rc.Change == nil {
				continue
			}
			before, _ := rc.Change.Before.(map[string]any)
			after, _ := rc.Change.After.(map[string]any)
			found = before != nil && after != nil && fmt.Sprint(before[attr]) != fmt.Sprint(after[attr])
		}
		if !found {
			resp.Error = fmt.Errorf("the plan shows no drift of %s.%s", addr, attr)
			return
		}
	}
}

// expectPrior is a plan check on the state the plan starts from.
type expectPrior struct {
	addr, attr string
	want       func() any
}

func (e expectPrior) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	if req.Plan.PriorState == nil || req.Plan.PriorState.Values == nil {
		resp.Error = fmt.Errorf("the plan has no prior state")
		return
	}
	for _, r := range req.Plan.PriorState.Values.RootModule.Resources {
		if r.Address == e.addr {
			if got, want := fmt.Sprint(r.AttributeValues[e.attr]), fmt.Sprint(e.want()); got != want {
				resp.Error = fmt.Errorf("prior state %s.%s = %s, want %s", e.addr, e.attr, got, want)
			}
			return
		}
	}
	resp.Error = fmt.Errorf("%s is not in the prior state", e.addr)
}

// A change of the values rolls the release out: exactly one new deployment
// of the same chart version, rendered with the new values. Formatting is no
// change; values edited outside Terraform show as drift of both resources,
// and apply puts them back with one deployment.
func TestAccDeployment_valuesRollout(t *testing.T) {
	w := newWorld(t, stackRecords(t), valuesA, "1.0.0-master-aaaaaa")
	v1 := w.versions[0]
	addr, cfgAddr := "galaxias_deployment.d", "galaxias_app_config.v"
	var first, second int64
	revision := func(values string) knownvalue.Check {
		return knownvalue.StringExact(galaxias.ValuesRevision(values))
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             w.uninstalled(t),
		Steps: []resource.TestStep{
			{
				Config: w.wiredConfig(v1, valuesA, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectKnownValue(cfgAddr, tfjsonpath.New("revision"), revision(valuesA)),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("config_revision"), revision(valuesA)),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.CompareValuePairs(cfgAddr, tfjsonpath.New("revision"), addr, tfjsonpath.New("config_revision"), compare.ValuesSame()),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("values_revision"), revision(valuesA)),
				},
				Check: resource.ComposeTestCheckFunc(w.runsValues(t, valuesA, 1), w.lastDeployment(t, &first)),
			},
			{ // other values: one new deployment of the same version
				Config: w.wiredConfig(v1, valuesB, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(cfgAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(cfgAddr, tfjsonpath.New("revision"), revision(valuesB)),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("config_revision"), revision(valuesB)),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("chart_version"), knownvalue.StringExact(v1)),
					plancheck.ExpectUnknownValue(addr, tfjsonpath.New("id")),
				}},
				Check: resource.ComposeTestCheckFunc(w.runsValues(t, valuesB, 2), w.lastDeployment(t, &second),
					func(*terraform.State) error {
						if second == first {
							return fmt.Errorf("the instance's deployment id did not change (%d)", first)
						}
						if got := w.running(t); got != v1 {
							return fmt.Errorf("running %s, want the same version %s", got, v1)
						}
						return nil
					}),
			},
			{ // the same data written differently: nothing to do
				Config: w.wiredConfig(v1, valuesBReformatted, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				Check: w.runsValues(t, valuesB, 2),
			},
			{ // values edited in Galaxias: drift of both, apply puts them back and rolls out once
				PreConfig: func() {
					must[*client.AppConfig](t)(w.api.PutAppConfig(context.Background(), w.app.ID, w.pe.ID, valuesByHand))
				},
				Config: w.wiredConfig(v1, valuesBReformatted, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						expectDrift{cfgAddr: "values", addr: "values_revision"},
						plancheck.ExpectResourceAction(cfgAddr, plancheck.ResourceActionUpdate),
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
						plancheck.ExpectUnknownValue(addr, tfjsonpath.New("id")),
						plancheck.ExpectKnownValue(addr, tfjsonpath.New("values_revision"), revision(valuesB)),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: w.runsValues(t, valuesB, 3),
			},
		},
	})
}

// A values rollout whose POST answer is lost right after the previous
// deployment of the same chart version: the provider finds the deployment
// it made, never the previous one (made within the client's clock slack),
// and posts once. The release runs the new deployment with the new values.
func TestAccDeployment_valuesRolloutLostResponse(t *testing.T) {
	acctest.SkipUnlessAcc(t)
	w, provider := asyncWorld(t, 50*time.Millisecond, valuesA)
	v1 := w.versions[0]
	var first int64
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: provider + w.wiredConfig(v1, valuesA, ""),
				Check:  resource.ComposeTestCheckFunc(w.runsValues(t, valuesA, 1), w.lastDeployment(t, &first)),
			},
			{
				PreConfig: func() { w.setFaults(t, "route=POST /v1/deployments,kind=drop-after,limit=1") },
				Config:    provider + w.wiredConfig(v1, valuesB, ""),
				Check: func(s *terraform.State) error {
					if id := stateID(s, "galaxias_deployment.d"); id == first {
						return fmt.Errorf("the state took the previous deployment %d for the rollout's", first)
					}
					return w.runsValues(t, valuesB, 2)(s)
				},
			},
		},
	})
}

// setFaults replaces the faults of the world's own reference server, with a
// login of its own (the provider's logins replace the admin's token).
func (w *world) setFaults(t *testing.T, specs ...string) {
	t.Helper()
	hc, spy := galaxiasapi.Spy(nil)
	admin, err := client.New(client.Options{BaseURL: w.url, Username: refservertest.AdminName, Password: refservertest.AdminPassword, HTTPClient: hc})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.ListProjects(context.Background(), ""); err != nil {
		t.Fatal(err)
	}
	refservertest.SetFaults(t, w.url, spy.Token(), specs...)
}

// A values change on an asynchronous Galaxias waits for the new deployment.
// When the wait times out, the deployment goes on; once it has finished, the
// plan is empty: it is not posted again.
func TestAccDeployment_valuesRolloutAsync(t *testing.T) {
	acctest.SkipUnlessAcc(t)
	w, provider := asyncWorld(t, 2*time.Second, valuesA)
	v1 := w.versions[0]
	addr := "galaxias_deployment.d"
	const valuesC = "replicaCount: 5\nimage:\n  tag: c\n"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{Config: provider + w.wiredConfig(v1, valuesA, ""), Check: w.runsValues(t, valuesA, 1)},
			{
				Config: provider + w.wiredConfig(v1, valuesB, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectUnknownValue(addr, tfjsonpath.New("id")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("status"), knownvalue.StringExact("success")),
				},
				Check: w.runsValues(t, valuesB, 2),
			},
			{
				Config:      provider + w.wiredConfig(v1, valuesC, `  timeouts = { update = "1s" }`),
				ExpectError: regexp.MustCompile(`(?s)timed out after 1s`),
			},
			{
				PreConfig: func() { time.Sleep(3 * time.Second) },
				Config:    provider + w.wiredConfig(v1, valuesC, ""), // (the failed update did not record the timeouts)
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				Check: func(*terraform.State) error {
					in := w.instance(t)
					if in == nil {
						return fmt.Errorf("nothing runs")
					}
					return w.checkRuns(t, in.LastDeployment, valuesC, 3)
				},
			},
		},
	})
}

// A values change whose render fails: Helm's message, the deployment keeps
// its prior state (and the next plan tries again), and the next apply with
// fixed values succeeds.
func TestAccDeployment_valuesRenderFailure(t *testing.T) {
	w := newWorld(t, stackRecords(t), valuesA, "1.0.0-master-bbbbbb")
	v1 := w.versions[0]
	addr := "galaxias_deployment.d"
	const broken, fixed = "replicaCount: null\n", "replicaCount: 4\nimage:\n  tag: c\n"
	var first int64
	// The re-implementation writes the deployment's row before it runs Helm,
	// and keeps it when Helm fails: one more record per failed render there.
	failed := 0
	if acctest.IsRock(t) {
		failed = 1
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: w.wiredConfig(v1, valuesA, ""),
				Check:  resource.ComposeTestCheckFunc(w.runsValues(t, valuesA, 1), w.lastDeployment(t, &first)),
			},
			{
				Config:      w.wiredConfig(v1, broken, ""),
				ExpectError: regexp.MustCompile(`replicaCount\s+is\s+required`),
			},
			{ // the release still runs the first deployment; the state is the prior one, so the plan tries again
				PreConfig: func() {
					if err := w.checkRuns(t, first, valuesA, 1+failed); err != nil {
						t.Fatalf("after the failed render: %v", err)
					}
				},
				Config:      w.wiredConfig(v1, broken, ""),
				ExpectError: regexp.MustCompile(`replicaCount\s+is\s+required`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					expectPrior{addr, "id", func() any { return first }},
					expectPrior{addr, "config_revision", func() any { return galaxias.ValuesRevision(valuesA) }},
					expectPrior{addr, "status", func() any { return "success" }},
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
			},
			{
				PreConfig: func() {
					if err := w.checkRuns(t, first, valuesA, 1+2*failed); err != nil {
						t.Fatalf("after the second failed render: %v", err)
					}
				},
				Config: w.wiredConfig(v1, fixed, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				Check: w.runsValues(t, fixed, 2+2*failed),
			},
		},
	})
}

// A release deployed through the API (by hand, by a pipeline) is imported by
// app_id/project_environment_id: the plan that states its chart version is
// empty, and so is the one that wires its values.
func TestAccDeployment_importRelease(t *testing.T) {
	ctx := context.Background()
	rec := stackRecords(t)
	api := rec.api
	w := newWorld(t, rec, valuesA, "1.0.0-master-cccccc", "1.0.1-master-dddddd")
	v1, v2 := w.versions[0], w.versions[1]
	for _, v := range []string{v1, v2} {
		must[*client.Deployment](t)(galaxiasapi.Deploy(ctx, api, client.DeploymentInput{AppID: w.app.ID, ProjectEnvID: w.pe.ID,
			ChartName: w.app.Name, ChartVersion: v, Description: "by hand"}))
	}
	running := w.instance(t)
	// A second environment of the project where nothing runs.
	env2 := must[*client.Env](t)(api.CreateEnv(ctx, client.EnvInput{ClusterID: w.env.ClusterID, Namespace: w.env.Namespace + "-idle"}))
	pe2 := must[*client.ProjectEnv](t)(api.CreateProjectEnv(ctx, w.app.ProjectID, client.ProjectEnvInput{EnvID: env2.ID}))
	t.Cleanup(func() {
		_ = api.DeleteProjectEnv(ctx, w.app.ProjectID, pe2.ID)
		_ = api.DeleteEnv(ctx, env2.ID)
	})

	addr := "galaxias_deployment.d"
	importID := fmt.Sprintf("%d/%d", w.app.ID, w.pe.ID)
	resourceHCL := fmt.Sprintf(`
resource "galaxias_deployment" "d" {
  app_id                 = %d
  project_environment_id = %d
  chart_version          = %q
}`, w.app.ID, w.pe.ID, v2)
	importHCL := acctest.ProviderSource("galaxias") + resourceHCL
	bare := fmt.Sprintf(`
import {
  to = galaxias_deployment.d
  id = %q
}
`, importID) + resourceHCL
	wired := fmt.Sprintf(`
import {
  to = galaxias_app_config.v
  id = %q
}
`, importID) + w.wiredConfig(v2, valuesA, "")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             w.uninstalled(t), // imported releases too
		Steps: []resource.TestStep{
			// The first steps import into a new working directory.
			{ResourceName: addr, ImportState: true, ImportStateId: fmt.Sprintf("%d/%d", w.app.ID, pe2.ID), Config: importHCL,
				ExpectError: rtWords(fmt.Sprintf(`nothing runs for app %q in namespace %q`, w.app.Name, env2.Namespace))},
			{ResourceName: addr, ImportState: true, ImportStateId: "1/x", Config: importHCL,
				ExpectError: rtWords(`project_environment_id "x" must be a positive integer`)},
			{ResourceName: addr, ImportState: true, ImportStateId: "latest", Config: importHCL,
				ExpectError: rtWords(`deployment id "latest" must be a positive integer`, `app_id/project_environment_id`)},
			{
				Config: bare,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionNoop),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.Int64Exact(running.LastDeployment)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("chart_version"), knownvalue.StringExact(v2)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("chart_name"), knownvalue.StringExact(w.app.Name)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("name"), knownvalue.StringExact(running.Name)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("namespace"), knownvalue.StringExact(w.env.Namespace)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("env_id"), knownvalue.Int64Exact(w.env.ID)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("uninstall_on_destroy"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("config_revision"), knownvalue.StringExact(galaxias.ValuesRevision(valuesA))),
				},
				Check: w.expect(t, v2, 2),
			},
			{ // the values imported too and wired: still nothing to do
				Config: wired,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("galaxias_app_config.v", plancheck.ResourceActionNoop),
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionNoop),
				}},
				Check: w.expect(t, v2, 2),
			},
		},
	})
}

// Destroying a whole configuration that never set uninstall_on_destroy
// leaves nothing in Galaxias.
func TestAccDeployment_destroyWithDefaults(t *testing.T) {
	acctest.PreCheckGalaxias(t)
	acctest.SkipOnRock(t, "the re-implementation keeps a project environment whose app config was emptied (412 "+
		"41200008), so a whole destroy stops there: TestAccAppConfig_destroyLeavesOthers and TestQuickstart cover that")
	api := acctest.Galaxias(t)
	ctx := context.Background()
	name := acctest.Name("dd")
	ns := "ns-" + strings.ReplaceAll(name, "_", "-")
	const version = "1.0.0-master-eeeeee"
	acctest.PushChart(t, name, version, refserver.TestChart(name, version))
	kc, err := kubecheck.FromEnv()
	if err != nil {
		t.Fatal(err)
	}
	var ids map[string]int64
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			for what, err := range map[string]error{
				"project": errOf(api.GetProject(ctx, ids["galaxias_project.p"])),
				"cluster": errOf(api.GetCluster(ctx, ids["galaxias_cluster.c"])),
				"env":     errOf(api.GetEnv(ctx, ids["galaxias_environment.e"])),
				"app":     errOf(api.GetApp(ctx, ids["galaxias_app.a"])),
			} {
				if !client.IsNotFound(err) {
					return fmt.Errorf("%s: want 404 after destroy, got %v", what, err)
				}
			}
			list, err := api.ListInstances(ctx, client.InstanceFilter{Name: name + "-" + ns})
			if err != nil || len(list) != 0 {
				return fmt.Errorf("instances of the release after destroy: %+v %v", list, err)
			}
			if kc != nil { // and nothing of it in the cluster
				left, err := kc.ReleaseObjects(ctx, ns, name+"-"+ns)
				if err != nil || len(left) > 0 {
					return fmt.Errorf("destroy left %v of release %s in the API server (%v)", left, name+"-"+ns, err)
				}
			}
			return nil
		},
		Steps: []resource.TestStep{{
			Config: wholeConfig(name, ns, version, ""),
			Check: func(s *terraform.State) error {
				ids = map[string]int64{}
				for _, a := range []string{"galaxias_project.p", "galaxias_cluster.c", "galaxias_environment.e", "galaxias_app.a"} {
					ids[a] = stateID(s, a)
				}
				list, err := api.ListInstances(ctx, client.InstanceFilter{Name: name + "-" + ns})
				if err != nil || len(list) != 1 {
					return fmt.Errorf("want the release running: %+v %v", list, err)
				}
				if kc != nil {
					if _, err := kc.Running(ctx, ns, name+"-"+ns); err != nil {
						return err
					}
				}
				return nil
			},
		}},
	})
}

func errOf[T any](_ T, err error) error { return err }

// wholeConfig is a project with everything a release needs, and the release.
func wholeConfig(name, ns, version, deploymentExtra string) string {
	return rtClusterHCL(name) + fmt.Sprintf(`
resource "galaxias_project" "p" {
  name = %[1]q
}
resource "galaxias_environment" "e" {
  cluster_id = galaxias_cluster.c.id
  namespace  = %[2]q
}
resource "galaxias_project_environment" "pe" {
  project_id     = galaxias_project.p.id
  environment_id = galaxias_environment.e.id
}
resource "galaxias_app" "a" {
  project_id = galaxias_project.p.id
  name       = %[1]q
}
resource "galaxias_app_config" "v" {
  app_id                 = galaxias_app.a.id
  project_environment_id = galaxias_project_environment.pe.id
  values                 = "replicaCount: 1\n"
}
resource "galaxias_deployment" "d" {
  app_id                 = galaxias_app.a.id
  project_environment_id = galaxias_project_environment.pe.id
  chart_version          = %[3]q
  config_revision        = galaxias_app_config.v.revision
%[4]s
}
`, name, ns, version, deploymentExtra)
}

// With uninstall_on_destroy = false the release outlives the configuration,
// so Galaxias refuses to delete its app and environment: the diagnostics
// name the release and the setting.
func TestAccDeployment_keptReleaseBlocksDelete(t *testing.T) {
	acctest.PreCheckGalaxias(t)
	acctest.SkipOnRock(t, "its last step destroys everything, which the re-implementation stops at the project "+
		"environment of an emptied app config (412 41200008); its in-use refusals are TestAccProject_inUse's")
	api := acctest.Galaxias(t)
	ctx := context.Background()
	name := acctest.Name("kr")
	ns := "ns-" + strings.ReplaceAll(name, "_", "-")
	release := name + "-" + ns
	const version = "1.0.0-master-ffffff"
	acctest.PushChart(t, name, version, refserver.TestChart(name, version))
	kept := wholeConfig(name, ns, version, "  uninstall_on_destroy = false")
	words := func(s string) string { return strings.Join(strings.Fields(regexp.QuoteMeta(s)), `\s+`) }
	appRefused := words("Failed to delete galaxias_app") + `.*` + words("Releases still run in this app: "+release+" (chart "+name+" "+version) +
		`.*` + words("uninstall_on_destroy = false leaves its release running")
	envRefused := words("Failed to delete galaxias_environment") + `.*` + words("Releases still run in this environment: "+release)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{Config: kept},
			{ // both refusals, in either order
				Config:      kept,
				Destroy:     true,
				ExpectError: regexp.MustCompile(`(?s)(` + appRefused + `.*` + envRefused + `|` + envRefused + `.*` + appRefused + `)`),
			},
			{ // uninstall it by hand: then everything goes
				PreConfig: func() {
					list := must[[]client.Instance](t)(api.ListInstances(ctx, client.InstanceFilter{Name: release}))
					for _, in := range list {
						if err := api.DeleteInstance(ctx, in.ID); err != nil {
							t.Fatal(err)
						}
					}
				},
				Config:  kept,
				Destroy: true,
			},
		},
	})
}

// A hand `kubectl scale` of the release's Deployment is no change to
// Galaxias: it reports the release as before, the provider sees no drift
// and leaves the cluster alone; the next rollout (a values change) renders
// the chart again and the Deployment runs the declared replicas.
func TestAccDeployment_scaledByHand(t *testing.T) {
	w := newWorld(t, stackRecords(t), valuesA, "1.0.0-master-bbbbbb")
	kc := w.kube(t)
	if kc == nil {
		t.Skip("GALAXIAS_KUBECONFIG is not set: no API server to scale in (make testacc sets it)")
	}
	v1 := w.versions[0]
	ctx := context.Background()
	release := w.app.Name + "-" + w.env.Namespace
	replicas := func(want int32) resource.TestCheckFunc {
		return func(*terraform.State) error {
			d, err := kc.Running(ctx, w.env.Namespace, release)
			if err != nil {
				return err
			}
			if d.Replicas != want {
				return fmt.Errorf("the API server's Deployment runs %d replicas, want %d", d.Replicas, want)
			}
			return nil
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             w.uninstalled(t),
		Steps: []resource.TestStep{
			{Config: w.wiredConfig(v1, valuesA, ""), Check: w.runsValues(t, valuesA, 1)},
			{
				PreConfig: func() {
					if err := kc.Scale(ctx, w.env.Namespace, release, 9); err != nil {
						t.Fatal(err)
					}
				},
				Config:           w.wiredConfig(v1, valuesA, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check:            resource.ComposeTestCheckFunc(replicas(9), w.deploymentsAre(t, 1)),
			},
			{ // the next rollout puts the chart's replicas back
				Config: w.wiredConfig(v1, valuesB, ""),
				Check:  w.runsValues(t, valuesB, 2),
			},
		},
	})
}

// deploymentsAre checks that the app has so many deployment records.
func (w *world) deploymentsAre(t *testing.T, deployments int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if n := w.deployments(t); n != deployments {
			return fmt.Errorf("%d deployment records, want %d", n, deployments)
		}
		return nil
	}
}
