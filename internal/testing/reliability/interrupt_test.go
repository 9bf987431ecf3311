package reliability_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/acctest"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/galaxiasapi"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/refserver"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/refserver/refservertest"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/stack"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/tfcli"
)

var (
	buildOnce   sync.Once
	builtMirror string
	buildErr    error
)

// providerMirror builds this tree's provider binary once per test binary
// and returns a CLI configuration that installs it, under both addresses,
// from a filesystem mirror of the test's own: interrupts must reach the
// real CLI driving real plugin processes, as a user's would.
func providerMirror(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "reliability-mirror-")
		if err != nil {
			buildErr = err
			return
		}
		bin := filepath.Join(dir, "terraform-provider-galaxias")
		cmd := exec.Command("go", "build", "-o", bin, "github.com/galaxias/terraform-provider-galaxias")
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
			return
		}
		builtMirror = filepath.Join(dir, "terraformrc")
		buildErr = stack.WriteMirror(dir, bin, builtMirror, false)
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return builtMirror
}

// newRealTerraform returns a CLI in a new directory holding config, with
// the providers installed from a build of this tree, initialised.
func newRealTerraform(t *testing.T, config string) *cli {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	env := append([]string{"TF_CLI_CONFIG_FILE=" + providerMirror(t), "TF_PLUGIN_CACHE_DIR="}, keepStackEnvOut...)
	tf := &cli{tfcli.CLI{Dir: dir, Env: env}}
	tf.must(t, 0, "init", "-no-color")
	return tf
}

// interruptWhen starts `terraform apply`, sends SIGINT once ready is
// closed (or fails the test after 2 minutes), and waits for terraform to
// finish. It returns the exit code and output.
func (tf *cli) interruptWhen(t *testing.T, ready <-chan struct{}, settle time.Duration) (int, string) {
	t.Helper()
	cmd, out, err := tf.start("apply", "-auto-approve", "-no-color")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-ready:
	case err := <-done:
		t.Fatalf("apply ended (%v) before the moment to interrupt it:\n%s", err, out)
	case <-time.After(2 * time.Minute):
		_ = cmd.Process.Kill()
		t.Fatalf("the moment to interrupt never came:\n%s", out)
	}
	time.Sleep(settle)
	t.Logf("sending SIGINT to terraform apply (pid %d)", cmd.Process.Pid)
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	select {
	case err = <-done:
	case <-time.After(2 * time.Minute):
		_ = cmd.Process.Kill()
		t.Fatalf("terraform did not stop after SIGINT:\n%s", out)
	}
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	}
	t.Logf("interrupted apply: exit %d", code)
	return code, out.String()
}

// stateResource is one resource instance of `terraform show -json`.
type stateResource struct {
	Address string         `json:"address"`
	Tainted bool           `json:"tainted"`
	Values  map[string]any `json:"values"`
}

func (tf *cli) state(t *testing.T) map[string]stateResource {
	t.Helper()
	out := tf.must(t, 0, "show", "-json", "-no-color")
	var doc struct {
		Values struct {
			RootModule struct {
				Resources []stateResource `json:"resources"`
			} `json:"root_module"`
		} `json:"values"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("terraform show -json: %v\n%s", err, out)
	}
	m := map[string]stateResource{}
	for _, r := range doc.Values.RootModule.Resources {
		m[r.Address] = r
	}
	return m
}

// TestAccInterrupt_deploymentWait interrupts `terraform apply` while it
// waits for an asynchronous deployment: the deployment must be recorded in
// state (untainted, as pending), and the next apply must converge without a
// second deployment for the interrupted intent.
func TestAccInterrupt_deploymentWait(t *testing.T) {
	acctest.SkipUnlessAcc(t)
	ctx := context.Background()
	gx := startGalaxias(t, refserver.Options{Async: true, AsyncDuration: 15 * time.Second})
	name := acctest.Name("int")
	api := gx.API
	p, err := api.CreateProject(ctx, client.ProjectInput{Name: name})
	if err != nil {
		t.Fatal(err)
	}
	cl, err := api.CreateCluster(ctx, client.ClusterInput{Name: name, Config: "apiVersion: v1\nkind: Config\n"})
	if err != nil {
		t.Fatal(err)
	}
	env, err := api.CreateEnv(ctx, client.EnvInput{ClusterID: cl.ID, Namespace: name})
	if err != nil {
		t.Fatal(err)
	}
	pe, err := api.CreateProjectEnv(ctx, p.ID, client.ProjectEnvInput{EnvID: env.ID})
	if err != nil {
		t.Fatal(err)
	}
	app, err := api.CreateApp(ctx, client.AppInput{ProjectID: p.ID, Name: name})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := api.PutAppConfig(ctx, app.ID, pe.ID, "replicaCount: 1\n"); err != nil {
		t.Fatal(err)
	}
	const version = "2.0.0-master-123456"
	if err := galaxiasapi.UploadChart(ctx, gx.URL, gx.Token, refserver.TestChart(name, version)); err != nil {
		t.Fatal(err)
	}
	deployments := func() []client.Deployment {
		t.Helper()
		list, err := api.ListDeployments(ctx, client.DeploymentFilter{AppID: app.ID})
		if err != nil {
			t.Fatal(err)
		}
		return list
	}

	tf := newRealTerraform(t, fmt.Sprintf(`
terraform {
  required_providers {
    galaxias = { source = "galaxias/galaxias" }
  }
}

provider "galaxias" {
  endpoint = %q
  token    = %q
}

resource "galaxias_deployment" "d" {
  app_id                 = %d
  project_environment_id = %d
  chart_version          = %q
  timeouts = { create = "5m" }
}
`, gx.URL, gx.Token, app.ID, pe.ID, version))

	// Interrupt once the deployment is recorded and still pending.
	ready := make(chan struct{})
	go func() {
		for deadline := time.Now().Add(2 * time.Minute); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
			if list, err := api.ListDeployments(ctx, client.DeploymentFilter{AppID: app.ID}); err == nil && len(list) > 0 {
				close(ready)
				return
			}
		}
	}()
	_, out := tf.interruptWhen(t, ready, time.Second)
	first := deployments()
	if len(first) != 1 || first[0].Done() {
		t.Fatalf("after the interrupt: %d deployments (%+v), want 1 still running", len(first), first)
	}
	st := tf.state(t)
	d, ok := st["galaxias_deployment.d"]
	if !ok {
		t.Fatalf("the deployment %d was made but is not in state:\n%s", first[0].ID, out)
	}
	if id, _ := d.Values["id"].(float64); int64(id) != first[0].ID || d.Tainted {
		t.Fatalf("state holds deployment %v (tainted %v), want %d recorded untainted", d.Values["id"], d.Tainted, first[0].ID)
	}
	if s, _ := d.Values["status"].(string); s != client.StatusPending && s != client.StatusRunning {
		t.Fatalf("state status %q, want pending or running", s)
	}
	t.Logf("after SIGINT: deployment %d (%s) recorded in state, untainted", first[0].ID, first[0].Status)

	// The next apply follows the same deployment to its end: no second rollout.
	refservertest.PutConfig(t, gx.URL, gx.Token, map[string]any{"async_duration": "300ms"})
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(200 * time.Millisecond) {
		if d, err := api.GetDeployment(ctx, first[0].ID); err == nil && d.Done() {
			break
		} else if time.Now().After(deadline) {
			t.Fatalf("deployment %d did not finish: %+v %v", first[0].ID, d, err)
		}
	}
	tf.must(t, 0, "apply", "-auto-approve", "-no-color")
	if code, out := tf.run(t, "plan", "-detailed-exitcode", "-no-color"); code != 0 {
		t.Fatalf("plan after the converging apply is not empty (exit %d):\n%s", code, out)
	}
	all := deployments()
	instances, err := api.ListInstances(ctx, client.InstanceFilter{AppID: app.ID})
	if err != nil {
		t.Fatal(err)
	}
	st = tf.state(t)
	if s, _ := st["galaxias_deployment.d"].Values["status"].(string); len(all) != 1 || s != client.StatusSuccess {
		t.Errorf("after the next apply: %d deployments, state status %q; want the one interrupted deployment, success (%+v)", len(all), s, all)
	}
	if len(instances) != 1 || instances[0].ChartVersion != version {
		t.Errorf("instances %+v, want one of %s", instances, version)
	}
	t.Logf("counts: deployments=%d instances=%d", len(all), len(instances))
}

// TestAccInterrupt_secrets interrupts `terraform apply` while Drone secrets
// are being created; Drone has processed the POSTs but their answers are
// late. Every secret that Drone has must be in state (recorded or tainted),
// and the next apply must converge to exactly the configured secrets.
func TestAccInterrupt_secrets(t *testing.T) {
	acctest.PreCheck(t)
	slug := acctest.GiteaAdmin(t).CreateRepo(t, acctest.Name("int"))
	owner, repo, _ := strings.Cut(slug, "/")
	dp := newFaultProxy(t, acctest.Env(t, "DRONE_SERVER"))
	dp.latency = 8 * time.Second
	names := []string{"docker_username", "docker_password", "galaxias_api_token", "registry_url"}
	secretsRoute := acctest.DronePath(t, "api", "repos", owner, repo, "secrets")
	ready := make(chan struct{})
	var once sync.Once
	dp.hook = func(r *http.Request) {
		if r.Method == http.MethodPost && r.URL.Path == secretsRoute {
			once.Do(func() { close(ready) })
		}
	}
	// The first secret POSTs reach Drone, and their answers come late.
	dp.forceNext("POST "+secretsRoute, kindSlowAfter, kindSlowAfter, kindSlowAfter)

	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = fmt.Sprintf("%q", n)
	}
	tf := newRealTerraform(t, fmt.Sprintf(`
terraform {
  required_providers {
    drone = { source = "galaxias/drone" }
  }
}

provider "drone" {
  server = %q
  token  = %q
}

resource "drone_repo" "r" {
  repository = %q
}

resource "drone_secret" "s" {
  for_each   = toset([%s])
  repository = drone_repo.r.repository
  name       = each.key
  value      = "value-of-${each.key}"
}
`, dp.URL, acctest.Env(t, "DRONE_TOKEN"), slug, strings.Join(quoted, ", ")))
	t.Cleanup(func() {
		dp.set(0)
		tf.run(t, "destroy", "-auto-approve", "-no-color")
	})

	droneSecrets := func() []string {
		t.Helper()
		var list []struct {
			Name string `json:"name"`
		}
		acctest.DroneDo(t, http.MethodGet, secretsRoute, nil, &list)
		var out []string
		for _, s := range list {
			out = append(out, s.Name)
		}
		sort.Strings(out)
		return out
	}

	code, out := tf.interruptWhen(t, ready, 500*time.Millisecond)
	if code == 0 {
		t.Fatalf("the interrupted apply succeeded:\n%s", out)
	}
	made := droneSecrets()
	st := tf.state(t)
	recorded, tainted := 0, 0
	for _, n := range made {
		r, ok := st[`drone_secret.s["`+n+`"]`]
		if !ok {
			t.Errorf("Drone has secret %s, but the state does not: the next apply would post a duplicate", n)
			continue
		}
		recorded++
		if r.Tainted {
			tainted++
		}
	}
	for addr := range st {
		if strings.HasPrefix(addr, "drone_secret.") {
			if n := strings.TrimSuffix(strings.TrimPrefix(addr, `drone_secret.s["`), `"]`); !contains(made, n) {
				t.Logf("state records %s that Drone does not have: the next refresh forgets it", addr)
			}
		}
	}
	t.Logf("after SIGINT: Drone has %d secrets %v; state records %d of them, %d tainted", len(made), made, recorded, tainted)
	if len(made) == 0 {
		t.Fatalf("no secret reached Drone before the interrupt: the test proved nothing\n%s", out)
	}

	tf.must(t, 0, "apply", "-auto-approve", "-no-color")
	if code, out := tf.run(t, "plan", "-detailed-exitcode", "-no-color"); code != 0 {
		t.Fatalf("plan after the converging apply is not empty (exit %d):\n%s", code, out)
	}
	final := droneSecrets()
	want := append([]string(nil), names...)
	sort.Strings(want)
	if strings.Join(final, ",") != strings.Join(want, ",") {
		t.Errorf("Drone secrets %v, want exactly %v", final, want)
	}
	t.Logf("counts after the next apply: secrets=%d %v", len(final), final)
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
