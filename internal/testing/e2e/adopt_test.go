package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/galaxiasapi"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/stack"
)

const adoptProviders = `terraform {
  required_providers {
    drone    = { source = "galaxias/drone" }
    galaxias = { source = "galaxias/galaxias" }
  }
}

provider "drone" {}
provider "galaxias" {}
`

// TestAdoptExistingEstate follows the guide "Adopting an existing estate"
// (templates/guides/adopting-an-existing-estate.md.tmpl): a project with two
// environments and two apps, their values and releases, and each app's Drone
// repository and secrets, all made through the servers' APIs as operators
// made them by hand; then import blocks, terraform plan
// -generate-config-out, the guide's edits (references instead of ids, the
// deployments wired to their values' revision, the secrets written by hand),
// one apply that imports and makes nothing new in Galaxias, and an empty plan.
// It runs under each CLI (their -generate-config-out output is the guide's
// starting point).
func TestAdoptExistingEstate(t *testing.T) {
	root, env := stackEnv(t)
	forEachCLI(t, func(t *testing.T, c cli) { testAdoptExistingEstate(t, c, root, env) })
}

func testAdoptExistingEstate(t *testing.T, c cli, root string, env *stack.Env) {
	ctx := context.Background()
	suffix := randomSuffix(t)
	services := seedServices(t, root, env, "adopt-"+suffix+"-api", "adopt-"+suffix+"-web")
	gc, err := client.New(client.Options{BaseURL: env.GalaxiasEndpoint, Token: env.GalaxiasToken})
	if err != nil {
		t.Fatal(err)
	}
	drone := apiCaller{t: t, base: env.DroneServer, token: env.DroneToken}

	// ---- the estate, made by hand -------------------------------------------
	project, err := gc.CreateProject(ctx, client.ProjectInput{Name: "adopt-" + suffix, Description: "Made by hand."})
	noErr(t, err)
	cluster, err := gc.CreateCluster(ctx, client.ClusterInput{Name: "adopt-" + suffix, Config: e2eKubeconfig(env)})
	noErr(t, err)
	t.Cleanup(func() { _ = gc.DeleteCluster(context.Background(), cluster.ID) }) // not adopted: shared infrastructure
	envNames := []string{"staging", "production"}
	envs := map[string]*client.Env{}
	pes := map[string]*client.ProjectEnv{}
	for _, e := range envNames {
		envs[e], err = gc.CreateEnv(ctx, client.EnvInput{ClusterID: cluster.ID, Namespace: "adopt-" + suffix + "-" + e, Description: e})
		noErr(t, err)
		pes[e], err = gc.CreateProjectEnv(ctx, project.ID, client.ProjectEnvInput{EnvID: envs[e].ID, Name: e})
		noErr(t, err)
	}
	apps := map[string]*client.App{}
	values := map[string]string{}
	for i, s := range services {
		apps[s.Name], err = gc.CreateApp(ctx, client.AppInput{ProjectID: project.ID, Name: s.Name, Description: "service " + s.Name})
		noErr(t, err)
		for j, e := range envNames {
			key := s.Name + "_" + e
			values[key] = fmt.Sprintf("# edited in the console\nreplicaCount: %d\nimage:\n  repository: registry.example.com/%s\n", i+j+1, s.Repository)
			_, err = gc.PutAppConfig(ctx, apps[s.Name].ID, pes[e].ID, values[key])
			noErr(t, err)
			// Staging runs the newest build; production was rolled back by hand.
			for _, v := range s.Versions[:len(s.Versions)-j] {
				_, err = galaxiasapi.Deploy(ctx, gc, client.DeploymentInput{AppID: apps[s.Name].ID, ProjectEnvID: pes[e].ID,
					ChartName: s.Name, ChartVersion: v, Description: "deployed by hand"})
				noErr(t, err)
			}
		}
		drone.call("POST", "/api/repos/"+s.Repository, nil, 200)
		for _, name := range []string{"docker_username", "docker_password", "galaxias_api_token"} {
			drone.call("POST", "/api/repos/"+s.Repository+"/secrets", map[string]string{"name": name, "data": name + "-" + suffix}, 200, 201)
		}
	}
	// Best effort, after the destroy below (cleanups run last first): what
	// a failed test left behind.
	estate := &handEstate{gc: gc, project: project, envNames: envNames, envs: envs, pes: pes, apps: apps}
	t.Cleanup(estate.removeLeftovers)
	running := func() map[string]client.Instance { return estate.running(t) }
	deployments := func() int { return estate.deployments(t) }
	before, deployedBefore := running(), deployments()
	if len(before) != 4 {
		t.Fatalf("want 4 releases running, got %+v", before)
	}

	// ---- step 1: import blocks, and generated configuration -------------------
	dir := t.TempDir()
	var imports strings.Builder
	imp := func(to, id string) { fmt.Fprintf(&imports, "import {\n  to = %s\n  id = %q\n}\n\n", to, id) }
	imp("galaxias_project.adopted", fmt.Sprint(project.ID))
	for _, e := range envNames {
		imp("galaxias_environment."+e, fmt.Sprint(envs[e].ID))
		imp("galaxias_project_environment."+e, fmt.Sprintf("%d/%d", project.ID, pes[e].ID))
	}
	for _, s := range services {
		a := apps[s.Name]
		imp("galaxias_app."+s.Name, fmt.Sprint(a.ID))
		for _, e := range envNames {
			pair := fmt.Sprintf("%d/%d", a.ID, pes[e].ID)
			imp("galaxias_app_config."+s.Name+"_"+e, pair)
			imp("galaxias_deployment."+s.Name+"_"+e, pair)
		}
		imp("drone_repo."+s.Name, s.Repository)
	}
	write := func(name, text string) {
		t.Helper()
		noErr(t, os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600))
	}
	write("main.tf", adoptProviders)
	write("imports.tf", imports.String())
	tf := newCLIRunner(t, c, env, dir)
	must(t, tf, []string{"init", "-upgrade", "-no-color"})
	adopted := false
	t.Cleanup(func() {
		if adopted {
			if r, err := tf.Run(context.Background(), "destroy", "-auto-approve", "-no-color"); err != nil || r.ExitCode != 0 {
				t.Errorf("cleanup destroy: %v %v", err, r)
			}
		}
	})
	must(t, tf, []string{"plan", "-no-color", "-input=false", "-generate-config-out=generated.tf"})
	gen, err := os.ReadFile(filepath.Join(dir, "generated.tf"))
	noErr(t, err)
	for _, want := range []string{`resource "galaxias_deployment" "` + services[0].Name + `_production"`, `config_revision`, `resource "drone_repo"`} {
		if !strings.Contains(string(gen), want) {
			t.Fatalf("generated.tf lacks %s:\n%s", want, gen)
		}
	}

	// ---- step 2: the guide's edits -------------------------------------------
	text := string(gen)
	refs := map[string]string{fmt.Sprintf("project_id=%d", project.ID): "galaxias_project.adopted.id"}
	for _, e := range envNames {
		refs[fmt.Sprintf("environment_id=%d", envs[e].ID)] = "galaxias_environment." + e + ".id"
		refs[fmt.Sprintf("project_environment_id=%d", pes[e].ID)] = "galaxias_project_environment." + e + ".id"
	}
	for name, a := range apps {
		refs[fmt.Sprintf("app_id=%d", a.ID)] = "galaxias_app." + name + ".id"
	}
	idLine := regexp.MustCompile(`(?m)^(\s*)(project_id|environment_id|app_id|project_environment_id)(\s*)= (\d+)$`)
	text = idLine.ReplaceAllStringFunc(text, func(line string) string {
		m := idLine.FindStringSubmatch(line)
		if ref, ok := refs[m[2]+"="+m[4]]; ok {
			return m[1] + m[2] + m[3] + "= " + ref
		}
		return line
	})
	// Each deployment rolls out when its values change.
	deployment := regexp.MustCompile(`(?s)resource "galaxias_deployment" "([^"]+)" \{.*?\n\}`)
	revision := regexp.MustCompile(`(?m)^(\s*)config_revision(\s*)= ".*"$`)
	text = deployment.ReplaceAllStringFunc(text, func(block string) string {
		name := deployment.FindStringSubmatch(block)[1]
		return revision.ReplaceAllString(block, "${1}config_revision${2}= galaxias_app_config."+name+".revision")
	})
	if strings.Count(text, ".revision") != 4 || regexp.MustCompile(`(?m)^\s*(project_id|app_id)\s*= \d`).MatchString(text) {
		t.Fatalf("the edits did not apply:\n%s", text)
	}
	write("generated.tf", text)
	// Drone never returns secret values: the secrets are written by hand.
	var secrets strings.Builder
	secrets.WriteString(`variable "docker_password" {
  type      = string
  sensitive = true
  ephemeral = true
}

variable "galaxias_api_token" {
  type      = string
  sensitive = true
  ephemeral = true
}
`)
	for _, s := range services {
		for _, name := range []string{"docker_username", "docker_password", "galaxias_api_token"} {
			fmt.Fprintf(&secrets, "\nimport {\n  to = drone_secret.%s_%s\n  id = %q\n}\n", s.Name, name, s.Repository+"/"+name)
			value := fmt.Sprintf("value = %q", name+"-"+suffix)
			if name != "docker_username" {
				value = fmt.Sprintf("value_wo         = var.%s\n  value_wo_version = 1", name)
			}
			fmt.Fprintf(&secrets, "\nresource \"drone_secret\" \"%s_%s\" {\n  repository = drone_repo.%s.repository\n  name       = %q\n  %s\n}\n",
				s.Name, name, s.Name, name, value)
		}
	}
	write("secrets.tf", secrets.String())
	tf.Env = append(tf.Env, "TF_VAR_docker_password=docker_password-"+suffix, "TF_VAR_galaxias_api_token=galaxias_api_token-"+suffix)
	must(t, tf, []string{"fmt", "-no-color", "."})

	// ---- step 3: plan and apply: everything imported, only the secrets written
	code, plan := planDetailed(t, tf)
	if code != 2 {
		t.Fatalf("plan with the imports: exit %d, want 2", code)
	}
	var addrs []string
	for addr, c := range changes(plan) {
		addrs = append(addrs, addr)
		want := "no-op"
		if strings.HasPrefix(addr, "drone_secret.") {
			want = "update" // the value Drone cannot return
		}
		if !c.Importing || c.action() != want {
			t.Errorf("%s: %s (importing %v), want an import and %s", addr, c.action(), c.Importing, want)
		}
	}
	sort.Strings(addrs)
	// The project, two environments and project-environments; per app: the
	// app, two configs, two releases, the repository and three secrets.
	if want := 1 + 2*2 + 2*(1+2*2+1+3); len(addrs) != want {
		t.Errorf("the plan has %d resources, want %d: %s", len(addrs), want, strings.Join(addrs, ", "))
	}
	adopted = true
	must(t, tf, []string{"apply", "-auto-approve", "-no-color", "e2e.tfplan"})
	if n := deployments(); n != deployedBefore {
		t.Errorf("the adoption made %d deployments", n-deployedBefore)
	}
	after := running()
	for k, in := range before {
		if a := after[k]; a.LastDeployment != in.LastDeployment || a.ChartVersion != in.ChartVersion {
			t.Errorf("release %s changed: %+v -> %+v", k, in, a)
		}
	}
	// In the cluster, each release still runs what was deployed by hand:
	// the replicas of its values, the image of its chart version.
	for name := range apps {
		for _, e := range envNames {
			in := after[name+"/"+envs[e].Namespace]
			var replicas int32
			_, _ = fmt.Sscanf(values[name+"_"+e][strings.Index(values[name+"_"+e], "replicaCount:"):], "replicaCount: %d", &replicas)
			if d := deployed(t, env, in); d.Replicas != replicas || len(d.Images) != 1 || !strings.HasSuffix(d.Images[0], ":"+in.ChartVersion) {
				t.Errorf("after the adoption the API server's Deployment %s/%s runs %d replicas of %v, want %d of the image tagged %s",
					in.EnvNamespace, in.Name, d.Replicas, d.Images, replicas, in.ChartVersion)
			}
		}
	}
	must(t, tf, []string{"plan", "-detailed-exitcode", "-no-color"})

	// ---- and from now on, values follow the configuration ---------------------
	key := services[0].Name + "_staging"
	_, err = gc.PutAppConfig(ctx, apps[services[0].Name].ID, pes["staging"].ID, "replicaCount: 9\n")
	noErr(t, err)
	code, plan = planDetailed(t, tf)
	ch := changes(plan)
	if code != 2 || ch["galaxias_app_config."+key].action() != "update" || ch["galaxias_deployment."+key].Unknown["id"] != true {
		t.Errorf("after a values edit by hand: exit %d, app config %s, deployment %+v; want both updated, a rollout",
			code, ch["galaxias_app_config."+key].action(), ch["galaxias_deployment."+key])
	}
}

// handEstate is what an adoption test made through the servers' APIs, as
// operators made it by hand: a project, its environments and its apps.
type handEstate struct {
	gc       *client.Client
	project  *client.Project
	envNames []string
	envs     map[string]*client.Env
	pes      map[string]*client.ProjectEnv
	apps     map[string]*client.App
}

// removeLeftovers deletes, best effort, what is left of the estate: its
// releases, apps, project environments, environments and project.
func (e *handEstate) removeLeftovers() {
	ctx := context.Background()
	for _, a := range e.apps {
		if list, err := e.gc.ListAppInstances(ctx, a.ID); err == nil {
			for _, in := range list {
				_ = e.gc.DeleteInstance(ctx, in.ID)
			}
		}
		_ = e.gc.DeleteApp(ctx, a.ID)
	}
	for _, name := range e.envNames {
		_ = e.gc.DeleteProjectEnv(ctx, e.project.ID, e.pes[name].ID)
		_ = e.gc.DeleteEnv(ctx, e.envs[name].ID)
	}
	_ = e.gc.DeleteProject(ctx, e.project.ID)
}

// running returns the releases that run, by "<app name>/<namespace>".
func (e *handEstate) running(t *testing.T) map[string]client.Instance {
	t.Helper()
	out := map[string]client.Instance{}
	for name, a := range e.apps {
		list, err := e.gc.ListAppInstances(context.Background(), a.ID)
		noErr(t, err)
		for _, in := range list {
			out[name+"/"+in.EnvNamespace] = in
		}
	}
	return out
}

// deployments counts the deployments of the estate's apps.
func (e *handEstate) deployments(t *testing.T) int {
	t.Helper()
	n := 0
	for _, a := range e.apps {
		list, err := e.gc.ListDeployments(context.Background(), client.DeploymentFilter{AppID: a.ID})
		noErr(t, err)
		n += len(list)
	}
	return n
}
