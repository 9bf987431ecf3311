package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/acctest"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/kubecheck"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/stack"

	"github.com/galaxias/terraform-provider-galaxias/internal/testing/galaxiasapi"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/tfcli"
)

// tfResource is one resource of `terraform show -json`.
type tfResource struct {
	Address string         `json:"address"`
	Mode    string         `json:"mode"`
	Type    string         `json:"type"`
	Values  map[string]any `json:"values"`
}

// stateResources returns the managed resources in state, by address.
func stateResources(t *testing.T, tf *tfcli.CLI) map[string]tfResource {
	t.Helper()
	r := must(t, tf, []string{"show", "-json", "-no-color"})
	var doc struct {
		Values struct {
			RootModule struct {
				Resources []tfResource `json:"resources"`
			} `json:"root_module"`
		} `json:"values"`
	}
	if err := json.Unmarshal([]byte(r.Stdout), &doc); err != nil {
		t.Fatalf("terraform show -json: %v", err)
	}
	out := map[string]tfResource{}
	for _, res := range doc.Values.RootModule.Resources {
		if res.Mode == "managed" {
			out[res.Address] = res
		}
	}
	return out
}

// planChanges plans into a file and returns the actions of every managed
// resource that the plan would change ("create", "update", "delete", or
// "delete,create"), by address, and which were imported.
func planChanges(t *testing.T, tf *tfcli.CLI) (changes map[string]string, imported []string) {
	t.Helper()
	must(t, tf, []string{"plan", "-out=tfplan", "-no-color"})
	r := must(t, tf, []string{"show", "-json", "-no-color", "tfplan"})
	var doc struct {
		ResourceChanges []struct {
			Address string `json:"address"`
			Mode    string `json:"mode"`
			Change  struct {
				Actions   []string        `json:"actions"`
				Importing json.RawMessage `json:"importing"`
			} `json:"change"`
		} `json:"resource_changes"`
	}
	if err := json.Unmarshal([]byte(r.Stdout), &doc); err != nil {
		t.Fatalf("terraform show -json tfplan: %v", err)
	}
	changes = map[string]string{}
	for _, rc := range doc.ResourceChanges {
		if rc.Mode != "managed" {
			continue
		}
		if len(rc.Change.Importing) > 0 && string(rc.Change.Importing) != "null" {
			imported = append(imported, rc.Address)
		}
		if a := strings.Join(rc.Change.Actions, ","); a != "no-op" {
			changes[rc.Address] = a
		}
	}
	sort.Strings(imported)
	return changes, imported
}

// TestQuickstart applies examples/quickstart as `make demo` does — no init,
// the providers from the dev_overrides CLI configuration that `make install`
// writes (one file for both CLIs) — under each CLI, against the stack's
// Galaxias server, whichever dialect it speaks (make testacc runs it
// against both). Then it requires an empty plan and checks what runs
// through Galaxias's and Drone's own APIs; plays the pipeline as make demo
// does (a build uploads a newer chart, which the plan leaves alone, and
// repository/deploy.sh deploys it with the token and ids from the outputs)
// and requires an empty plan again; forgets and imports every
// resource, requiring that the import completes with in-place updates only
// and ends in an empty plan; makes every kind of change outside Terraform
// that the server allows and requires the plan to show exactly the changed
// resource, and an apply to converge; destroys, requiring that nothing the
// CLI made is left — on the re-implementation, except the project
// environment that an app config named and what it belongs to, which that
// server cannot delete (see below); and checks throughout that another
// app's config and release on the same server are never touched.
func TestQuickstart(t *testing.T) {
	root, env := stackEnv(t)
	if _, err := os.Stat(env.TFCLIConfigFile); err != nil {
		t.Fatalf("no dev_overrides CLI config (go run ./cmd/stack install): %v", err)
	}
	if env.GalaxiasKubeconfig == "" {
		t.Fatal("no GALAXIAS_KUBECONFIG: the stack must start its Kubernetes API server")
	}
	forEachCLI(t, func(t *testing.T, c cli) { testQuickstart(t, c, root, env) })
}

func testQuickstart(t *testing.T, c cli, root string, env *stack.Env) {
	ctx := context.Background()
	rock := os.Getenv("GALAXIAS_DIALECT") == "rock"
	name := "qs-" + randomSuffix(t)
	svc := seedServices(t, root, env, name)[0]
	gc, err := client.New(client.Options{BaseURL: env.GalaxiasEndpoint, Token: env.GalaxiasToken})
	if err != nil {
		t.Fatal(err)
	}
	if fl, err := gc.Dialect(ctx); err != nil || (fl == client.DialectRock) != rock {
		t.Fatalf("the server's dialect is %q (%v), GALAXIAS_DIALECT=%q", fl, err, os.Getenv("GALAXIAS_DIALECT"))
	}
	neighbour := newNeighbour(t, gc, env, svc, name)

	// The seeded repository keeps its Drone webhook (Drone 1.x leaves it).
	t.Cleanup(func() { _, _ = stack.RemoveDroneHooks(context.Background(), env, svc.Repository) })

	tmp := t.TempDir()
	if err := copyExamples(root, tmp, "quickstart"); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(tmp, "quickstart")
	vars, err := json.Marshal(map[string]any{
		"repository": svc.Repository, "app_name": name, "project": name,
		"cluster_name": name + "-cluster", "namespace": name,
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "e2e.auto.tfvars.json"), vars, 0o600); err != nil {
		t.Fatal(err)
	}
	dockerPassword := "qs-docker-" + randomSuffix(t)
	tf := newRunner(t, c, env, dir, env.TFCLIConfigFile,
		"TF_VAR_kubeconfig="+env.GalaxiasKubeconfig,
		"TF_VAR_docker_password="+dockerPassword,
		// 6 to 20 characters of two kinds at least, for the re-implementation.
		"TF_VAR_deployer_password=Qs-"+randomSuffix(t)+randomSuffix(t))

	applied := true
	t.Cleanup(func() {
		if applied {
			if r, err := tf.Run(context.Background(), "destroy", "-auto-approve", "-no-color"); err != nil || r.ExitCode != 0 {
				t.Logf("cleanup destroy: %v %v", err, r)
			}
		}
	})
	r := must(t, tf, []string{"apply", "-auto-approve", "-no-color"})
	if !strings.Contains(r.Stderr+r.Stdout, "overrides") {
		t.Errorf("%s did not report the development overrides: the providers may not come from the local build\n%s", c.Name, r)
	}
	must(t, tf, []string{"plan", "-detailed-exitcode", "-no-color"})
	checkQuickstartDrone(t, tf, env, svc, dockerPassword)

	res := stateResources(t, tf)
	id := func(addr string) int64 {
		t.Helper()
		r, ok := res[addr]
		if !ok {
			t.Fatalf("%s not in state", addr)
		}
		var n int64
		if _, err := fmt.Sscan(fmt.Sprint(r.Values["id"]), &n); err != nil {
			t.Fatalf("%s: id %v", addr, r.Values["id"])
		}
		return n
	}
	ids := quickstartIDs{
		project: id("galaxias_project.aurora"), cluster: id("galaxias_cluster.main"),
		env: id("galaxias_environment.staging"), pe: id("galaxias_project_environment.aurora_staging"),
		app: id("galaxias_app.push"), user: id("galaxias_user.deployer"),
	}
	newest := svc.Versions[len(svc.Versions)-1]
	in, err := gc.FindInstance(ctx, ids.app, ids.env, name)
	if err != nil || in == nil || in.ChartVersion != newest {
		t.Fatalf("after apply the release is %+v (%v), want chart %s", in, err, newest)
	}
	// Where a user looks: the Deployment in the cluster runs the declared
	// replicas of the image the chart version was built from.
	release := *in
	if d := deployed(t, env, release); d.Replicas != 2 || len(d.Images) != 1 || !strings.HasSuffix(d.Images[0], ":"+newest) {
		t.Errorf("after apply the API server's Deployment runs %d replicas of %v, want 2 of the image tagged %s", d.Replicas, d.Images, newest)
	}
	neighbour.check(t)

	// The pipeline deploys from now on, as make demo plays it: a build
	// uploads a newer chart, its deploy step (repository/deploy.sh) posts it
	// with the token and ids Terraform wrote to Drone (read from the
	// outputs), and the plan stays empty.
	built := buildRelease(t, root, env, &svc, "1.0.2")
	if code, _ := planDetailed(t, tf); code != 0 {
		t.Errorf("after a new chart upload in the pipeline mode: plan exit %d, want 0 (the pipeline deploys it)", code)
	}
	deployStep(t, root, tf, env.GalaxiasEndpoint, name, built)
	waitRunning(t, gc, ids.app, ids.env, name, built)
	must(t, tf, []string{"plan", "-detailed-exitcode", "-no-color"})
	neighbour.check(t)

	t.Run("import_every_resource", func(t *testing.T) { quickstartImport(t, tf, res) })
	neighbour.check(t)

	t.Run("drift", func(t *testing.T) { quickstartDrift(t, tf, gc, env, &ids, svc, name, rock) })
	neighbour.check(t)

	t.Run("values_rollout", func(t *testing.T) { quickstartRollout(t, tf, gc, env, ids.app) })
	neighbour.check(t)

	// Destroy.
	r = must(t, tf, []string{"destroy", "-auto-approve", "-no-color"}, 0, 1)
	for _, gone := range []struct {
		what string
		err  error
	}{
		{"app", getErr(gc.GetApp(ctx, ids.app))},
		{"user", getErr(gc.GetUser(ctx, ids.user))},
	} {
		if !client.IsNotFound(gone.err) {
			t.Errorf("after destroy, the %s: want 404, got %v", gone.what, gone.err)
		}
	}
	if in, err := gc.FindInstance(ctx, ids.app, ids.env, name); err != nil || in != nil {
		t.Errorf("after destroy (uninstall_on_destroy) the release is %+v (%v)", in, err)
	}
	if left := releaseObjects(t, env, release); len(left) > 0 {
		t.Errorf("after destroy (uninstall_on_destroy) the API server still has %v of release %s", left, release.Name)
	}
	left := []struct {
		what string
		err  error
	}{
		{"project environment", getErr(gc.GetProjectEnv(ctx, ids.project, ids.pe))},
		{"project", getErr(gc.GetProject(ctx, ids.project))},
		{"environment", getErr(gc.GetEnv(ctx, ids.env))},
		{"cluster", getErr(gc.GetCluster(ctx, ids.cluster))},
	}
	if !rock {
		if r.ExitCode != 0 {
			t.Fatalf("destroy: %s", r)
		}
		for _, l := range left {
			if !client.IsNotFound(l.err) {
				t.Errorf("after destroy, the %s: want 404, got %v", l.what, l.err)
			}
		}
		applied = false
		if r := must(t, tf, []string{"state", "list"}); r.Stdout != "" {
			t.Fatalf("state after destroy:\n%s", r.Stdout)
		}
		neighbour.check(t)
		return
	}
	// The re-implementation refuses to delete a project environment while
	// an app config row names it (412), and its only route that removes
	// config rows removes every app's: the provider emptied the config
	// instead, so the project environment — and the environment, project
	// and cluster it holds on to — stay, and the destroy says so.
	if r.ExitCode != 1 || !strings.Contains(r.Stderr, "412") || !strings.Contains(r.Stderr, "The project environment stays on the server") {
		t.Fatalf("destroy on the re-implementation: want the 412 refusal of the project environment, got %s", r)
	}
	for _, l := range left {
		if l.err != nil {
			t.Errorf("the %s should be left on the re-implementation: %v", l.what, l.err)
		}
	}
	if gone, err := acctest.ConfigGone(ctx, gc, ids.app, ids.pe); err != nil && !client.IsNotFound(err) || !gone {
		t.Errorf("the app config was not removed: %v", err)
	}
	got := stateAddresses(t, tf)
	want := []string{"galaxias_cluster.main", "galaxias_environment.staging", "galaxias_project.aurora",
		"galaxias_project_environment.aurora_staging"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("state after the refused destroy: %q, want %q", got, want)
	}
	// Letting go of them without terraform state rm: removed blocks.
	var removed strings.Builder
	for _, a := range want {
		fmt.Fprintf(&removed, "removed {\n  from = %s\n  lifecycle {\n    destroy = false\n  }\n}\n", a)
	}
	for _, f := range []string{"main.tf", "outputs.tf"} {
		if err := os.Remove(filepath.Join(dir, f)); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(quickstartProviders+removed.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	must(t, tf, []string{"apply", "-auto-approve", "-no-color"})
	applied = false
	if got := stateAddresses(t, tf); len(got) != 0 {
		t.Fatalf("state after the removed blocks: %q", got)
	}
	neighbour.check(t)
}

const quickstartProviders = `terraform {
  required_providers {
    drone    = { source = "galaxias/drone" }
    galaxias = { source = "galaxias/galaxias" }
  }
}
`

func getErr[T any](_ T, err error) error { return err }

func stateAddresses(t *testing.T, tf *tfcli.CLI) []string {
	t.Helper()
	r := must(t, tf, []string{"state", "list"})
	var out []string
	for _, l := range strings.Split(strings.TrimSpace(r.Stdout), "\n") {
		if l != "" && !strings.HasPrefix(l, "data.") {
			out = append(out, l)
		}
	}
	sort.Strings(out)
	return out
}

type quickstartIDs struct{ project, cluster, env, pe, app, user int64 }

// quickstartImport forgets every managed resource and imports it again
// with import blocks: the plan must import every one of them and create
// or destroy nothing; the in-place updates are those documented (a
// write-only kubeconfig, password and secret values are sent once, an
// imported deployment's uninstall_on_destroy takes the configured value),
// and after the apply the plan is empty.
func quickstartImport(t *testing.T, tf *tfcli.CLI, res map[string]tfResource) {
	var blocks strings.Builder
	var addrs []string
	for addr, r := range res {
		importID := fmt.Sprint(r.Values["id"])
		if r.Type == "galaxias_project_environment" {
			importID = fmt.Sprintf("%v/%v", r.Values["project_id"], r.Values["id"])
		}
		if f, ok := r.Values["id"].(float64); ok {
			importID = fmt.Sprint(int64(f))
			if r.Type == "galaxias_project_environment" {
				importID = fmt.Sprintf("%d/%d", int64(r.Values["project_id"].(float64)), int64(f))
			}
		}
		fmt.Fprintf(&blocks, "import {\n  to = %s\n  id = %q\n}\n", addr, importID)
		addrs = append(addrs, addr)
	}
	sort.Strings(addrs)
	must(t, tf, append([]string{"state", "rm", "-no-color"}, addrs...))
	importFile := filepath.Join(tf.Dir, "imports.tf")
	if err := os.WriteFile(importFile, []byte(blocks.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	changes, imported := planChanges(t, tf)
	if strings.Join(imported, " ") != strings.Join(addrs, " ") {
		t.Errorf("imported %q, want every resource %q", imported, addrs)
	}
	// Complete after the import alone: nothing to send.
	complete := []string{"galaxias_project.aurora", "galaxias_environment.staging",
		"galaxias_project_environment.aurora_staging", "galaxias_app.push", "galaxias_app_config.push_staging"}
	for _, a := range complete {
		if c, ok := changes[a]; ok {
			t.Errorf("%s after import: %s, want no change", a, c)
		}
	}
	for a, c := range changes {
		if c != "update" {
			t.Errorf("%s after import: %s, want at most an update in place", a, c)
		}
	}
	t.Logf("updates after the import: %v", changes)
	must(t, tf, []string{"apply", "-auto-approve", "-no-color", "tfplan"})
	if err := os.Remove(importFile); err != nil {
		t.Fatal(err)
	}
	must(t, tf, []string{"plan", "-detailed-exitcode", "-no-color"})
}

// quickstartDrift makes each kind of change outside Terraform and requires
// the plan to change exactly the resources concerned, and an apply to
// converge to an empty plan. (The quickstart's kubeconfig is write-only,
// hence not tracked; its drift, where a server answers it, is
// TestAccCluster_configDrift's. Drone's kinds are TestDriftDetection's.)
func quickstartDrift(t *testing.T, tf *tfcli.CLI, gc *client.Client, env *stack.Env, ids *quickstartIDs, svc service, name string, rock bool) {
	ctx := context.Background()
	fail := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	deployer := "galaxias_user.deployer"
	// The pipeline's token secret follows the deployer's token.
	tokenSecret := "drone_secret.galaxias_api_token"
	type kind struct {
		name       string
		contract   string // not "": only where the server allows the change (why not elsewhere)
		change     func()
		want       map[string]string
		wantOnRock map[string]string // when it differs on the re-implementation
		rollout    bool              // the apply deploys again, rendered with the declared values
	}
	kinds := []kind{
		{name: "project description", change: func() {
			_, err := gc.UpdateProject(ctx, ids.project, client.ProjectInput{Name: name, Description: "by hand"})
			fail(err)
		}, want: map[string]string{"galaxias_project.aurora": "update"}},
		{name: "cluster description", change: func() {
			_, err := gc.UpdateCluster(ctx, ids.cluster, client.ClusterInput{Name: name + "-cluster", Description: "by hand",
				Config: env.GalaxiasKubeconfig})
			fail(err)
		}, want: map[string]string{"galaxias_cluster.main": "update"}},
		{name: "environment description", change: func() {
			_, err := gc.UpdateEnv(ctx, ids.env, client.EnvInput{Description: "by hand"})
			fail(err)
		}, want: map[string]string{"galaxias_environment.staging": "update"}},
		{name: "project environment description", change: func() {
			_, err := gc.UpdateProjectEnv(ctx, ids.project, ids.pe, client.ProjectEnvInput{Name: "aurora-" + name, Description: "by hand"})
			fail(err)
		}, want: map[string]string{"galaxias_project_environment.aurora_staging": "update"}},
		{name: "project environment name", contract: "the re-implementation ignores names in PUT",
			change: func() {
				_, err := gc.UpdateProjectEnv(ctx, ids.project, ids.pe, client.ProjectEnvInput{Name: "by-hand"})
				fail(err)
			}, want: map[string]string{"galaxias_project_environment.aurora_staging": "update"}},
		// The chart versions data source reads the app's id, so Terraform
		// defers it to the apply while the app has a change; the deployment
		// ignores its chart_version (the pipeline deploys), so it stays.
		{name: "app description", change: func() {
			_, err := gc.UpdateApp(ctx, ids.app, client.AppInput{Description: "by hand"})
			fail(err)
		}, want: map[string]string{"galaxias_app.push": "update"}},
		// The deployment's config_revision follows the app config's
		// revision: values changed outside Terraform show as drift of both,
		// and the apply puts them back and rolls the release out with them.
		{name: "app values", change: func() {
			_, err := gc.PutAppConfig(ctx, ids.app, ids.pe, "replicaCount: 9\n")
			fail(err)
		}, want: map[string]string{"galaxias_app_config.push_staging": "update", "galaxias_deployment.push_staging": "update"},
			rollout: true},
		{name: "app values removed", change: func() {
			fail(galaxiasapi.DeleteAppConfig(ctx, gc, ids.app, ids.pe))
		}, want: map[string]string{"galaxias_app_config.push_staging": "create", "galaxias_deployment.push_staging": "update"},
			rollout: true},
		{name: "user role", change: func() {
			_, err := gc.SetUserRole(ctx, ids.user, client.RoleDeveloper)
			fail(err)
		}, want: map[string]string{deployer: "update"},
			// the role is read from the token there: a new login, a new token for the pipeline
			wantOnRock: map[string]string{deployer: "update", tokenSecret: "update"}},
		{name: "user email", contract: "the re-implementation has no route to change an e-mail",
			change: func() {
				_, err := gc.UpdateUser(ctx, ids.user, client.UserInput{Email: "hand@example.com"})
				fail(err)
			}, want: map[string]string{deployer: "update"}},
		{name: "user deleted", contract: "the re-implementation never frees a deleted user's name: re-creating it is an error " +
			"at plan time there (TestAccUser_rockNamesStayTaken)", change: func() {
			fail(gc.DeleteUser(ctx, ids.user))
		}, want: map[string]string{deployer: "create", tokenSecret: "update"}},
		// The quickstart leaves the version to the pipeline (ignore_changes):
		// another version deployed, by the pipeline or by hand (a rollback
		// to an older build), is what runs, not drift.
		{name: "another chart version deployed", change: func() {
			_, err := galaxiasapi.Deploy(ctx, gc, client.DeploymentInput{AppID: ids.app, ProjectEnvID: ids.pe, ChartName: name,
				ChartVersion: svc.Versions[0], Description: "by hand"})
			fail(err)
		}, want: map[string]string{}},
		{name: "release removed", change: func() {
			in, err := gc.FindInstance(ctx, ids.app, ids.env, name)
			fail(err)
			if in == nil {
				t.Fatal("no release to remove")
			}
			fail(gc.DeleteInstance(ctx, in.ID))
		}, want: map[string]string{"galaxias_deployment.push_staging": "create"}},
	}
	for _, k := range kinds {
		t.Run(strings.ReplaceAll(k.name, " ", "_"), func(t *testing.T) {
			if rock && k.contract != "" {
				t.Skip("not on the rock dialect: " + k.contract)
			}
			k.change()
			want := k.want
			if rock && k.wantOnRock != nil {
				want = k.wantOnRock
			}
			if k.name == "user deleted" {
				// a new user: its id changes
				defer func() { ids.user = idOf(t, tf, deployer) }()
			}
			changes, _ := planChanges(t, tf)
			if fmt.Sprint(changes) != fmt.Sprint(want) {
				t.Errorf("after %s the plan changes %v, want %v", k.name, changes, want)
			}
			deployment := idOf(t, tf, "galaxias_deployment.push_staging")
			must(t, tf, []string{"apply", "-auto-approve", "-no-color", "tfplan"})
			now := idOf(t, tf, "galaxias_deployment.push_staging")
			if _, redeploy := k.want["galaxias_deployment.push_staging"]; (!redeploy || k.name == "app description") && now != deployment {
				t.Errorf("after %s the apply deployed again (deployment %d, was %d)", k.name, now, deployment)
			}
			in, err := gc.FindInstance(ctx, ids.app, ids.env, name)
			fail(err)
			if k.rollout && (now == deployment || in == nil || in.LastDeployment != now) {
				t.Errorf("after %s: deployment %d (was %d), release %+v: want the release made by a new deployment", k.name, now, deployment, in)
			}
			// In the cluster, the apply put back what is declared: the
			// values' replicas of the image of the version the state holds
			// (the pipeline owns it: a version deployed by hand stays).
			newest, _ := stateResources(t, tf)["galaxias_deployment.push_staging"].Values["chart_version"].(string)
			if k.name == "another chart version deployed" && newest != svc.Versions[0] {
				t.Errorf("after %s the state holds chart version %q, want %s (the one deployed by hand)", k.name, newest, svc.Versions[0])
			}
			if in == nil {
				t.Errorf("after %s nothing runs", k.name)
			} else if d := deployed(t, env, *in); d.Replicas != 2 || len(d.Images) != 1 || !strings.HasSuffix(d.Images[0], ":"+newest) {
				t.Errorf("after %s the API server's Deployment runs %d replicas of %v, want the declared 2 of the image tagged %s",
					k.name, d.Replicas, d.Images, newest)
			}
			must(t, tf, []string{"plan", "-detailed-exitcode", "-no-color"})
		})
	}
}

func idOf(t *testing.T, tf *tfcli.CLI, addr string) int64 {
	t.Helper()
	r, ok := stateResources(t, tf)[addr]
	if !ok {
		t.Fatalf("%s not in state", addr)
	}
	f, _ := r.Values["id"].(float64)
	return int64(f)
}

// neighbour is another app with values and a running release on the same
// server, made through the API: nothing the quickstart does may touch it.
type neighbour struct {
	gc              *client.Client
	app, env, pe    int64
	values, version string
	chart           string
}

func newNeighbour(t *testing.T, gc *client.Client, env *stack.Env, svc service, name string) *neighbour {
	t.Helper()
	ctx := context.Background()
	n := &neighbour{gc: gc, values: "owner: the neighbour\nreplicaCount: 1\n", version: svc.Versions[0], chart: name}
	fail := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("neighbour: %v", err)
		}
	}
	p, err := gc.CreateProject(ctx, client.ProjectInput{Name: name + "-neighbour"})
	fail(err)
	cl, err := gc.CreateCluster(ctx, client.ClusterInput{Name: name + "-neighbour", Config: env.GalaxiasKubeconfig})
	fail(err)
	e, err := gc.CreateEnv(ctx, client.EnvInput{ClusterID: cl.ID, Namespace: name + "-neighbour"})
	fail(err)
	pe, err := gc.CreateProjectEnv(ctx, p.ID, client.ProjectEnvInput{EnvID: e.ID})
	fail(err)
	// The same app name (and so chart) in another project: what a server
	// that ignores filters answers next to the quickstart's own.
	a, err := gc.CreateApp(ctx, client.AppInput{ProjectID: p.ID, Name: name})
	fail(err)
	_, err = gc.PutAppConfig(ctx, a.ID, pe.ID, n.values)
	fail(err)
	_, err = galaxiasapi.Deploy(ctx, gc, client.DeploymentInput{AppID: a.ID, ProjectEnvID: pe.ID, ChartName: name, ChartVersion: n.version})
	fail(err)
	n.app, n.env, n.pe = a.ID, e.ID, pe.ID
	t.Cleanup(func() {
		// Best effort: a server of the rock dialect keeps a project
		// environment that had a config, and what it belongs to.
		if in, err := gc.FindInstance(ctx, a.ID, e.ID, name); err == nil && in != nil {
			_ = gc.DeleteInstance(ctx, in.ID)
		}
		_ = galaxiasapi.DeleteAppConfig(ctx, gc, a.ID, pe.ID)
		_ = gc.DeleteApp(ctx, a.ID)
		_ = gc.DeleteProjectEnv(ctx, p.ID, pe.ID)
		_ = gc.DeleteEnv(ctx, e.ID)
		_ = gc.DeleteCluster(ctx, cl.ID)
		_ = gc.DeleteProject(ctx, p.ID)
	})
	return n
}

// check requires the neighbour's values and release as they were made.
func (n *neighbour) check(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	c, err := n.gc.GetAppConfig(ctx, n.app, n.pe)
	if err != nil || c.Config != n.values {
		t.Errorf("the neighbour's values: %+v, %v; want %q", c, err, n.values)
	}
	in, err := n.gc.FindInstance(ctx, n.app, n.env, n.chart)
	if err != nil || in == nil || in.ChartVersion != n.version {
		t.Errorf("the neighbour's release: %+v, %v; want %s", in, err, n.version)
	}
}

// checkQuickstartDrone requires the pipeline's secrets in Drone, seen
// through Drone's API, and the write-only Docker password nowhere in the
// state.
func checkQuickstartDrone(t *testing.T, tf *tfcli.CLI, env *stack.Env, svc service, dockerPassword string) {
	t.Helper()
	drone := apiCaller{t: t, base: env.DroneServer, token: env.DroneToken}
	var secrets []struct {
		Name string `json:"name"`
	}
	if err := json.Unmarshal(drone.call("GET", "/api/repos/"+svc.Repository+"/secrets", nil, 200), &secrets); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range secrets {
		names = append(names, s.Name)
	}
	sort.Strings(names)
	if got := strings.Join(names, ","); got != "docker_password,docker_username,galaxias_api_token,galaxias_app_id,galaxias_project_env_id" {
		t.Errorf("Drone secrets of %s: %s", svc.Repository, got)
	}
	newest := svc.Versions[len(svc.Versions)-1]
	if s := must(t, tf, []string{"show", "-json"}).Stdout; strings.Contains(s, dockerPassword) || !strings.Contains(s, newest) {
		t.Errorf("state: docker_password present %t, chart version %s present %t",
			strings.Contains(s, dockerPassword), newest, strings.Contains(s, newest))
	}
}

// quickstartRollout is a new user's experiment: another replica count. The
// plan updates the values and the deployment (a new deployment, its id
// unknown); the apply makes exactly one deployment of the same chart
// version, rendered with the new values; then the plan is empty.
func quickstartRollout(t *testing.T, tf *tfcli.CLI, gc *client.Client, env *stack.Env, appID int64) {
	ctx := context.Background()
	instance := func() client.Instance {
		t.Helper()
		list, err := gc.ListAppInstances(ctx, appID)
		if err != nil || len(list) != 1 {
			t.Fatalf("instances of app %d: %+v %v", appID, list, err)
		}
		return list[0]
	}
	deployments := func() int {
		t.Helper()
		list, err := gc.ListDeployments(ctx, client.DeploymentFilter{AppID: appID})
		if err != nil {
			t.Fatal(err)
		}
		return len(list)
	}
	before, n := instance(), deployments()

	code, plan := planDetailed(t, tf, "-var=replicas=3")
	if code != 2 {
		t.Fatalf("changing replicas: plan exit %d, want 2", code)
	}
	ch := changes(plan)
	if a := ch["galaxias_app_config.push_staging"].action(); a != "update" {
		t.Errorf("app config: %s, want update", a)
	}
	if c := ch["galaxias_deployment.push_staging"]; c.action() != "update" || c.Unknown["id"] != true {
		t.Errorf("deployment: %s (id unknown: %v), want an update making a new deployment", c.action(), c.Unknown["id"])
	}
	must(t, tf, []string{"apply", "-auto-approve", "-no-color", "e2e.tfplan"})
	after := instance()
	if got := deployments(); got != n+1 {
		t.Errorf("%d deployments after the values change, want %d", got, n+1)
	}
	if after.LastDeployment == before.LastDeployment || after.ChartVersion != before.ChartVersion {
		t.Errorf("instance before %+v, after %+v: want a new deployment of the same chart", before, after)
	}
	if d := deployed(t, env, after); d.Replicas != 3 {
		t.Errorf("the API server's Deployment runs %d replicas after the values change, want 3", d.Replicas)
	}
	must(t, tf, []string{"plan", "-detailed-exitcode", "-no-color", "-var=replicas=3"})
}

// planDetailed runs plan -out and show -json, and returns the plan's exit code
// (-detailed-exitcode) and its JSON.
func planDetailed(t *testing.T, tf *tfcli.CLI, extra ...string) (int, map[string]any) {
	t.Helper()
	args := append([]string{"plan", "-detailed-exitcode", "-no-color", "-input=false", "-out=e2e.tfplan"}, extra...)
	r := must(t, tf, args, 0, 2)
	show := must(t, tf, []string{"show", "-json", "e2e.tfplan"})
	var plan map[string]any
	if err := json.Unmarshal([]byte(show.Stdout), &plan); err != nil {
		t.Fatalf("show -json: %v", err)
	}
	return r.ExitCode, plan
}

// planChange is one entry of a JSON plan's resource_changes.
type planChange struct {
	Actions   []string
	Importing bool
	After     map[string]any
	Unknown   map[string]any
}

func (c planChange) action() string { return strings.Join(c.Actions, "+") }

// changes returns the plan's resource changes by address.
func changes(plan map[string]any) map[string]planChange {
	out := map[string]planChange{}
	list, _ := plan["resource_changes"].([]any)
	for _, x := range list {
		rc, _ := x.(map[string]any)
		c, _ := rc["change"].(map[string]any)
		var pc planChange
		acts, _ := c["actions"].([]any)
		for _, a := range acts {
			pc.Actions = append(pc.Actions, fmt.Sprint(a))
		}
		pc.Importing = c["importing"] != nil
		pc.After, _ = c["after"].(map[string]any)
		pc.Unknown, _ = c["after_unknown"].(map[string]any)
		out[fmt.Sprint(rc["address"])] = pc
	}
	return out
}

// deployed reads the release's Deployment (the quickstart chart names it
// after the release) in the cluster's API server, as kubectl get does.
func deployed(t *testing.T, env *stack.Env, in client.Instance) *kubecheck.Deployed {
	t.Helper()
	d, err := kubeClient(t, env).Running(context.Background(), in.EnvNamespace, in.Name)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// releaseObjects is what the API server still has of a release.
func releaseObjects(t *testing.T, env *stack.Env, in client.Instance) []string {
	t.Helper()
	left, err := kubeClient(t, env).ReleaseObjects(context.Background(), in.EnvNamespace, in.Name)
	if err != nil {
		t.Fatal(err)
	}
	return left
}

func kubeClient(t *testing.T, env *stack.Env) *kubecheck.Client {
	t.Helper()
	kc, err := kubecheck.New(env.GalaxiasKubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	return kc
}
