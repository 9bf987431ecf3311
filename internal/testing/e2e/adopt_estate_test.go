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
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/galaxiasapi"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/stack"
)

// estateApps is how many apps TestAdoptEstateIntoModules seeds (issue 26
// asks for at least 10).
const estateApps = 10

// TestAdoptEstateIntoModules adopts a seeded estate of estateApps apps —
// each with values in two environments, running releases, a Drone
// repository and its three pipeline secrets, all made through the servers'
// APIs — into one examples/modules/galaxias-service instance per app. The
// root configuration (examples/adopt-estate) writes no id: `import` blocks
// with for_each over galaxias_apps, galaxias_project_environments,
// galaxias_releases and drone_secrets address module.svc[<app>]. The plan
// imports every object and adds, replaces and destroys nothing; the only
// updates are the secrets' values, which Drone never returns. After the
// apply no deployment was made, every release runs what it ran, and
// `plan -detailed-exitcode` exits 0. Under each CLI.
func TestAdoptEstateIntoModules(t *testing.T) {
	root, env := stackEnv(t)
	forEachCLI(t, func(t *testing.T, c cli) { testAdoptEstateIntoModules(t, c, root, env) })
}

func testAdoptEstateIntoModules(t *testing.T, c cli, root string, env *stack.Env) {
	ctx := context.Background()
	suffix := randomSuffix(t)
	names := make([]string, estateApps)
	for i := range names {
		names[i] = fmt.Sprintf("est-%s-%02d", suffix, i)
	}
	services := seedServices(t, root, env, names...)
	gc, err := client.New(client.Options{BaseURL: env.GalaxiasEndpoint, Token: env.GalaxiasToken})
	noErr(t, err)
	drone := apiCaller{t: t, base: env.DroneServer, token: env.DroneToken}
	const description = "deployed by hand"
	username, password, token := "ci-"+suffix, "pw-"+suffix, "tok-"+suffix
	secretValues := map[string]string{"docker_username": username, "docker_password": password, "galaxias_api_token": token}

	// ---- the estate, made by hand -------------------------------------------
	project, err := gc.CreateProject(ctx, client.ProjectInput{Name: "estate-" + suffix, Description: "Made by hand."})
	noErr(t, err)
	kubeconfig := e2eKubeconfig(env) // the re-implementation checks it, both dialects install into it
	cluster, err := gc.CreateCluster(ctx, client.ClusterInput{Name: "estate-" + suffix, Config: kubeconfig})
	noErr(t, err)
	t.Cleanup(func() { _ = gc.DeleteCluster(context.Background(), cluster.ID) })
	envNames := []string{"staging", "production"}
	envs := map[string]*client.Env{}
	pes := map[string]*client.ProjectEnv{}
	for _, e := range envNames {
		envs[e], err = gc.CreateEnv(ctx, client.EnvInput{ClusterID: cluster.ID, Namespace: "estate-" + suffix + "-" + e, Description: e})
		noErr(t, err)
		pes[e], err = gc.CreateProjectEnv(ctx, project.ID, client.ProjectEnvInput{EnvID: envs[e].ID, Name: e})
		noErr(t, err)
	}
	apps := map[string]*client.App{}
	values := map[string]map[string]string{}
	for i, s := range services {
		apps[s.Name], err = gc.CreateApp(ctx, client.AppInput{ProjectID: project.ID, Name: s.Name,
			Description: "service " + s.Name, FullName: s.Repository})
		noErr(t, err)
		values[s.Name] = map[string]string{}
		for j, e := range envNames {
			values[s.Name][e] = fmt.Sprintf("# edited in the console\nreplicaCount: %d\n", i+j+1)
			_, err = gc.PutAppConfig(ctx, apps[s.Name].ID, pes[e].ID, values[s.Name][e])
			noErr(t, err)
			// Staging runs the newest build; production was rolled back by hand.
			for _, v := range s.Versions[:len(s.Versions)-j] {
				_, err = galaxiasapi.Deploy(ctx, gc, client.DeploymentInput{AppID: apps[s.Name].ID, ProjectEnvID: pes[e].ID,
					ChartName: s.Name, ChartVersion: v, Description: description})
				noErr(t, err)
			}
		}
		drone.call("POST", "/api/repos/"+s.Repository, nil, 200)
		for name, v := range secretValues {
			drone.call("POST", "/api/repos/"+s.Repository+"/secrets", map[string]string{"name": name, "data": v}, 200, 201)
		}
	}
	// Best effort, after the destroy below (cleanups run last first): what
	// a failed test left behind.
	estate := &handEstate{gc: gc, project: project, envNames: envNames, envs: envs, pes: pes, apps: apps}
	t.Cleanup(estate.removeLeftovers)
	running := func() map[string]client.Instance { return estate.running(t) }
	deployments := func() int { return estate.deployments(t) }
	before, deployedBefore := running(), deployments()
	if len(before) != estateApps*len(envNames) {
		t.Fatalf("want %d releases running, got %d: %+v", estateApps*len(envNames), len(before), before)
	}

	// ---- the root configuration: module instances and for_each imports -------
	dir := t.TempDir()
	noErr(t, copyExamples(root, dir, "modules", "adopt-estate"))
	work := filepath.Join(dir, "adopt-estate")
	vars, err := json.Marshal(map[string]any{"project_id": project.ID, "values": values, "docker_username": username})
	noErr(t, err)
	noErr(t, os.WriteFile(filepath.Join(work, "terraform.tfvars.json"), vars, 0o600))
	tf := newCLIRunner(t, c, env, work)
	tf.Env = append(tf.Env, "TF_VAR_docker_password="+password, "TF_VAR_galaxias_api_token="+token)
	must(t, tf, []string{"init", "-upgrade", "-no-color"})
	adopted := false
	t.Cleanup(func() {
		if adopted {
			if r, err := tf.Run(context.Background(), "destroy", "-auto-approve", "-no-color"); err != nil || r.ExitCode != 0 {
				t.Errorf("cleanup destroy: %v %v", err, r)
			}
		}
	})

	// ---- plan: everything imported, nothing added, replaced or destroyed -----
	code, plan := planDetailed(t, tf)
	if code != 2 {
		t.Fatalf("plan with the imports: exit %d, want 2", code)
	}
	var addrs []string
	imported, updated := 0, 0
	for addr, ch := range changes(plan) {
		if strings.Contains(addr, "data.") {
			continue
		}
		addrs = append(addrs, addr)
		want := "no-op"
		if strings.Contains(addr, ".drone_secret.") {
			want = "update" // the value Drone never returns is sent once
		}
		if !ch.Importing || ch.action() != want {
			t.Errorf("%s: %s (importing %v), want an import and %s; changed: %s", addr, ch.action(), ch.Importing, want, changedAttrs(plan, addr))
			continue
		}
		imported++
		if want == "update" {
			updated++
		}
	}
	sort.Strings(addrs)
	// Per app: the app, two app configs, two releases, the repository and
	// three secrets.
	perApp := 1 + 2*len(envNames) + 1 + len(secretValues)
	if imported != estateApps*perApp || len(addrs) != estateApps*perApp || updated != estateApps*len(secretValues) {
		t.Fatalf("the plan imports %d of %d resources (%d secrets updated), want %d imported, %d secret updates: %s",
			imported, len(addrs), updated, estateApps*perApp, estateApps*len(secretValues), strings.Join(addrs, ", "))
	}
	for _, s := range services {
		for _, r := range []string{"galaxias_app.this", "drone_repo.this", `galaxias_deployment.this["production"]`, `galaxias_app_config.this["staging"]`} {
			if addr := fmt.Sprintf("module.svc[%q].%s", s.Name, r); !contains(addrs, addr) {
				t.Errorf("the plan lacks %s", addr)
			}
		}
	}

	// ---- apply: no deployment made, every release runs what it ran -----------
	adopted = true
	apply := must(t, tf, []string{"apply", "-auto-approve", "-no-color", "e2e.tfplan"})
	want := fmt.Sprintf("Apply complete! Resources: %d imported, 0 added, %d changed, 0 destroyed.",
		estateApps*perApp, estateApps*len(secretValues))
	if !strings.Contains(apply.Stdout, want) {
		t.Errorf("apply output lacks %q:\n%s", want, apply.Stdout)
	}
	if n := deployments(); n != deployedBefore {
		t.Errorf("the adoption made %d deployments", n-deployedBefore)
	}
	after := running()
	if len(after) != len(before) {
		t.Errorf("releases before %d, after %d", len(before), len(after))
	}
	for k, in := range before {
		if a := after[k]; a.LastDeployment != in.LastDeployment || a.ChartVersion != in.ChartVersion {
			t.Errorf("release %s changed: %+v -> %+v", k, in, a)
		}
	}
	must(t, tf, []string{"plan", "-detailed-exitcode", "-no-color", "-input=false"})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// changedAttrs names the attributes a JSON plan changes for addr.
func changedAttrs(plan map[string]any, addr string) string {
	list, _ := plan["resource_changes"].([]any)
	for _, x := range list {
		rc, _ := x.(map[string]any)
		if rc["address"] != addr {
			continue
		}
		c, _ := rc["change"].(map[string]any)
		before, _ := c["before"].(map[string]any)
		after, _ := c["after"].(map[string]any)
		unknown, _ := c["after_unknown"].(map[string]any)
		var out []string
		for k, v := range after {
			if fmt.Sprint(before[k]) != fmt.Sprint(v) {
				out = append(out, fmt.Sprintf("%s: %v -> %v", k, before[k], v))
			}
		}
		for k, u := range unknown {
			if u == true {
				out = append(out, k+": (known after apply)")
			}
		}
		sort.Strings(out)
		return strings.Join(out, "; ")
	}
	return "(not in the plan)"
}
