package e2e

import (
	"context"
	"encoding/json"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/galaxiasapi"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/stack"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/tfcli"
)

// The two ownership modes of docs/guides/who-deploys.md, end to end under
// each CLI and against both Galaxias servers of the stack (the default
// dialect and the rock dialect), whatever GALAXIAS_* says.

// ownershipDialect is one of the stack's Galaxias servers, as an env whose
// Galaxias fields point at it.
type ownershipDialect struct {
	name string
	env  *stack.Env
}

func ownershipDialects(t *testing.T, root string) []ownershipDialect {
	t.Helper()
	raw, err := stack.Load(filepath.Join(root, ".stack"))
	if err != nil {
		t.Fatal(err)
	}
	if raw.GalaxiasRockEndpoint == "" || raw.GalaxiasRockKubeconfig == "" {
		t.Fatal("the stack runs no rock-dialect Galaxias server (GALAXIAS_ROCK_ENDPOINT)")
	}
	rock := *raw
	rock.GalaxiasEndpoint, rock.GalaxiasToken = raw.GalaxiasRockEndpoint, raw.GalaxiasRockToken
	rock.GalaxiasUsername, rock.GalaxiasPassword = raw.GalaxiasRockUsername, raw.GalaxiasRockPassword
	rock.GalaxiasKubeconfig = raw.GalaxiasRockKubeconfig
	return []ownershipDialect{{"contract", raw}, {"rock", &rock}}
}

// forEachOwnership runs f for every CLI and both dialects, in parallel.
func forEachOwnership(t *testing.T, f func(t *testing.T, c cli, root string, env *stack.Env, dialect string)) {
	root, _ := stackEnv(t)
	dialects := ownershipDialects(t, root)
	forEachCLI(t, func(t *testing.T, c cli) {
		for _, d := range dialects {
			t.Run(d.name, func(t *testing.T) {
				t.Parallel()
				f(t, c, root, d.env, d.name)
			})
		}
	})
}

const ownershipBase = `
terraform {
  required_providers {
    drone    = { source = "galaxias/drone" }
    galaxias = { source = "galaxias/galaxias" }
  }
}

variable "name" { type = string }
variable "replicas" {
  type    = number
  default = 1
}
variable "kubeconfig" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "galaxias_project" "p" { name = var.name }

resource "galaxias_cluster" "c" {
  name              = var.name
  config_wo         = var.kubeconfig
  config_wo_version = 1
}

resource "galaxias_environment" "e" {
  cluster_id = galaxias_cluster.c.id
  namespace  = var.name
}

resource "galaxias_project_environment" "pe" {
  project_id     = galaxias_project.p.id
  environment_id = galaxias_environment.e.id
  name           = var.name
}
`

// Terraform deploys: the galaxias-service module in its newest-chart mode.
const ownershipTerraformConfig = ownershipBase + `
variable "repository" { type = string }
variable "docker_password" {
  type      = string
  sensitive = true
  ephemeral = true
}

module "svc" {
  source             = "../modules/galaxias-service"
  name               = var.name
  project_id         = galaxias_project.p.id
  repository         = var.repository
  docker_username    = "robot"
  docker_password    = var.docker_password
  galaxias_api_token = "not-a-token"
  environments = {
    staging = {
      project_environment_id = galaxias_project_environment.pe.id
      values                 = yamlencode({ replicaCount = var.replicas })
    }
  }
}
`

// The pipeline deploys: the quickstart's deployment (ignore_changes), its
// service account and the outputs its deploy step is given.
const ownershipPipelineConfig = ownershipBase + `
variable "deployer_password" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "galaxias_app" "a" {
  project_id = galaxias_project.p.id
  name       = var.name
}

resource "galaxias_app_config" "v" {
  app_id                 = galaxias_app.a.id
  project_environment_id = galaxias_project_environment.pe.id
  values                 = yamlencode({ replicaCount = var.replicas })
}

resource "galaxias_user" "deployer" {
  name                = "${var.name}-deployer"
  email               = "${var.name}-deployer@example.com"
  role                = "deployer"
  password_wo         = var.deployer_password
  password_wo_version = 1
}

data "galaxias_chart_versions" "master" {
  app_id = galaxias_app.a.id
  branch = "master"
}

resource "galaxias_deployment" "d" {
  app_id                 = galaxias_app.a.id
  project_environment_id = galaxias_project_environment.pe.id
  chart_version          = data.galaxias_chart_versions.master.latest
  config_revision        = galaxias_app_config.v.revision

  lifecycle {
    ignore_changes = [chart_version]
  }
}

output "galaxias_app_id" { value = galaxias_app.a.id }
output "galaxias_project_env_id" { value = galaxias_project_environment.pe.id }
output "galaxias_api_token" {
  value     = galaxias_user.deployer.token
  sensitive = true
}
`

// ownershipSetup seeds a service named after the test, writes config into
// a folder beside a copy of examples/modules, and returns its runner (init
// done), a client of the dialect's server and the service. The cleanup
// destroys what the CLI made; on the rock dialect the project environment
// and what it holds stay (the re-implementation's 412, see TestQuickstart).
func ownershipSetup(t *testing.T, c cli, root string, env *stack.Env, prefix, config string) (*tfcli.CLI, *client.Client, service) {
	t.Helper()
	name := prefix + "-" + randomSuffix(t)
	svc := seedServices(t, root, env, name)[0]
	gc, err := client.New(client.Options{BaseURL: env.GalaxiasEndpoint, Token: env.GalaxiasToken})
	noErr(t, err)
	tmp := t.TempDir()
	noErr(t, copyExamples(root, tmp, "modules"))
	dir := filepath.Join(tmp, "root")
	noErr(t, os.MkdirAll(dir, 0o755))
	noErr(t, os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config), 0o644))
	tf := newCLIRunner(t, c, env, dir, "TF_VAR_name="+name, "TF_VAR_repository="+svc.Repository,
		"TF_VAR_kubeconfig="+env.GalaxiasKubeconfig, "TF_VAR_docker_password=own-"+randomSuffix(t),
		// 6 to 20 characters of two kinds at least, for the re-implementation.
		"TF_VAR_deployer_password=Own-"+randomSuffix(t)+randomSuffix(t))
	must(t, tf, []string{"init", "-no-color"})
	t.Cleanup(func() {
		if r, err := tf.Run(context.Background(), "destroy", "-auto-approve", "-no-color"); err != nil || r.ExitCode != 0 {
			t.Logf("cleanup destroy: %v %v", err, r)
		}
	})
	return tf, gc, svc
}

// exitCode runs the CLI and returns its exit code, failing on 1.
func exitCode(t *testing.T, tf *tfcli.CLI, args ...string) int {
	t.Helper()
	return must(t, tf, append(args, "-no-color"), 0, 2).ExitCode
}

// TestOwnership_terraformDeploys: the pipeline only uploads charts and the
// galaxias-service module deploys the newest one. A new chart is a pending
// rollout, not drift: `plan -refresh-only` finds nothing, the plan rolls it
// out. A deploy by hand is drift: `plan -refresh-only` shows it. The apply
// puts the newest chart back.
func TestOwnership_terraformDeploys(t *testing.T) {
	forEachOwnership(t, func(t *testing.T, c cli, root string, env *stack.Env, dialect string) {
		ctx := context.Background()
		tf, gc, svc := ownershipSetup(t, c, root, env, "own-tf", ownershipTerraformConfig)
		must(t, tf, []string{"apply", "-auto-approve", "-no-color"})
		ids := ownershipIDs(t, tf, "module.svc.galaxias_app.this", "galaxias_environment.e", "galaxias_project_environment.pe")
		waitRunning(t, gc, ids[0], ids[1], svc.Name, svc.Versions[1])
		if code := exitCode(t, tf, "plan", "-detailed-exitcode"); code != 0 {
			t.Fatalf("plan after apply: exit %d", code)
		}

		// The pipeline uploads a chart: a pending rollout, no drift.
		v2 := buildRelease(t, root, env, &svc, "1.0.2")
		if d := refreshOnlyDrift(t, tf, c); len(d) != 0 {
			t.Errorf("a new chart upload: plan -refresh-only finds drift %q, want none", d)
		}
		code, plan := planDetailed(t, tf)
		dep := `module.svc.galaxias_deployment.this["staging"]`
		if ch := changes(plan)[dep]; code != 2 || ch.action() != "update" || ch.After["chart_version"] != v2 {
			t.Errorf("a new chart upload: plan exit %d, %s %s to %v; want exit 2, an update to %s", code, dep, ch.action(), ch.After["chart_version"], v2)
		}

		// A deploy by hand: drift.
		_, err := galaxiasapi.Deploy(ctx, gc, client.DeploymentInput{AppID: ids[0], ProjectEnvID: ids[2], ChartName: svc.Name,
			ChartVersion: svc.Versions[0], Description: "by hand"})
		noErr(t, err)
		if d := refreshOnlyDrift(t, tf, c); strings.Join(d, " ") != dep {
			t.Errorf("after a deploy by hand: plan -refresh-only finds drift %q, want %s", d, dep)
		}

		must(t, tf, []string{"apply", "-auto-approve", "-no-color"})
		waitRunning(t, gc, ids[0], ids[1], svc.Name, v2)
		if code := exitCode(t, tf, "plan", "-detailed-exitcode"); code != 0 {
			t.Errorf("plan after the apply: exit %d", code)
		}
		if d := refreshOnlyDrift(t, tf, c); len(d) != 0 {
			t.Errorf("after the apply: plan -refresh-only finds drift %q", d)
		}
		t.Logf("%s on %s: done", c.Name, dialect)
	})
}

// TestOwnership_pipelineDeploys: Terraform deploys once, then the pipeline
// (repository/deploy.sh, with the token and ids from the outputs) deploys;
// the deployment ignores chart_version. A pipeline deploy is no drift; a
// values rollout deploys the version that runs; a deploy that lands
// between plan and apply fails the saved plan's apply and is not rolled
// back; a new plan rolls the values out on it.
func TestOwnership_pipelineDeploys(t *testing.T) {
	forEachOwnership(t, func(t *testing.T, c cli, root string, env *stack.Env, dialect string) {
		tf, gc, svc := ownershipSetup(t, c, root, env, "own-pl", ownershipPipelineConfig)
		must(t, tf, []string{"apply", "-auto-approve", "-no-color"})
		ids := ownershipIDs(t, tf, "galaxias_app.a", "galaxias_environment.e")
		app, envID := ids[0], ids[1]
		waitRunning(t, gc, app, envID, svc.Name, svc.Versions[1])

		// The pipeline builds and deploys a new version: no drift.
		v2 := buildRelease(t, root, env, &svc, "1.0.2")
		deployStep(t, root, tf, env.GalaxiasEndpoint, svc.Name, v2)
		waitRunning(t, gc, app, envID, svc.Name, v2)
		if code := exitCode(t, tf, "plan", "-detailed-exitcode"); code != 0 {
			t.Errorf("after the pipeline's deploy: plan exit %d, want 0", code)
		}

		// A values rollout keeps the version that runs.
		before := waitRunning(t, gc, app, envID, svc.Name, v2)
		must(t, tf, []string{"apply", "-auto-approve", "-no-color", "-var=replicas=2"})
		after := waitRunning(t, gc, app, envID, svc.Name, v2)
		if after.LastDeployment == before.LastDeployment {
			t.Errorf("the values rollout made no deployment (instance %+v)", after)
		} else if d := deployed(t, env, after); d.Replicas != 2 {
			t.Errorf("after the values rollout the Deployment in the API server runs %d replicas of %v, want 2", d.Replicas, d.Images)
		}

		// A deploy that lands between plan and apply (a rollback to an
		// older build): the saved plan's apply fails and deploys nothing.
		if code, _ := planDetailed(t, tf, "-var=replicas=3"); code != 2 {
			t.Fatalf("plan of replicas 3: exit %d", code)
		}
		deployStep(t, root, tf, env.GalaxiasEndpoint, svc.Name, svc.Versions[0])
		landed := waitRunning(t, gc, app, envID, svc.Name, svc.Versions[0])
		r := must(t, tf, []string{"apply", "-auto-approve", "-no-color", "e2e.tfplan"}, 1)
		if !strings.Contains(strings.Join(strings.Fields(r.Stderr), " "), "a deployment landed since the plan") {
			t.Errorf("the saved plan's apply after a pipeline deploy:\n%s", r)
		}
		if in := waitRunning(t, gc, app, envID, svc.Name, svc.Versions[0]); in.LastDeployment != landed.LastDeployment {
			t.Errorf("the failed apply deployed: instance %+v, was %+v", in, landed)
		}
		// Planned again, the values roll out on the version that runs.
		must(t, tf, []string{"apply", "-auto-approve", "-no-color", "-var=replicas=3"})
		in := waitRunning(t, gc, app, envID, svc.Name, svc.Versions[0])
		if d := deployed(t, env, in); in.LastDeployment == landed.LastDeployment || d.Replicas != 3 {
			t.Errorf("after planning again: instance %+v, the Deployment in the API server runs %d replicas of %v; want a new deployment with 3", in, d.Replicas, d.Images)
		}
		if code := exitCode(t, tf, "plan", "-detailed-exitcode", "-var=replicas=3"); code != 0 {
			t.Errorf("final plan: exit %d", code)
		}
		t.Logf("%s on %s: done", c.Name, dialect)
	})
}

// refreshOnlyDrift runs `plan -refresh-only` and returns the resources it
// found changed outside the CLI (the saved plan's resource_drift). Under
// OpenTofu it also requires -detailed-exitcode to agree (2 with drift, 0
// without). Terraform 1.11.4 cannot be held to that: a refresh-only plan
// whose refreshed state differs from the last one only by the order of a
// resource's sensitive paths exits 2 after "No changes" (seen with
// drone_secret, value and value_wo: about every other run; galaxias_user,
// token and password_wo: every run; OpenTofu 1.12: never).
func refreshOnlyDrift(t *testing.T, tf *tfcli.CLI, c cli) []string {
	t.Helper()
	r := must(t, tf, []string{"plan", "-refresh-only", "-detailed-exitcode", "-no-color", "-out=refresh.tfplan"}, 0, 2)
	var doc struct {
		ResourceDrift []struct {
			Address string `json:"address"`
		} `json:"resource_drift"`
	}
	if err := json.Unmarshal([]byte(must(t, tf, []string{"show", "-json", "refresh.tfplan"}).Stdout), &doc); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, d := range doc.ResourceDrift {
		out = append(out, d.Address)
	}
	if want := map[bool]int{true: 2, false: 0}[len(out) > 0]; c.Name == stack.OpenTofu && r.ExitCode != want {
		t.Errorf("tofu plan -refresh-only -detailed-exitcode: exit %d with drift %q, want %d", r.ExitCode, out, want)
	}
	return out
}

// ownershipIDs returns the ids of the resources at addrs (in the root
// module or one level below).
func ownershipIDs(t *testing.T, tf *tfcli.CLI, addrs ...string) []int64 {
	t.Helper()
	type module struct {
		Resources []tfResource `json:"resources"`
	}
	var doc struct {
		Values struct {
			RootModule struct {
				module
				ChildModules []module `json:"child_modules"`
			} `json:"root_module"`
		} `json:"values"`
	}
	if err := json.Unmarshal([]byte(must(t, tf, []string{"show", "-json", "-no-color"}).Stdout), &doc); err != nil {
		t.Fatal(err)
	}
	byAddr := map[string]any{}
	for _, m := range append(doc.Values.RootModule.ChildModules, doc.Values.RootModule.module) {
		for _, r := range m.Resources {
			byAddr[r.Address] = r.Values["id"]
		}
	}
	var out []int64
	for _, a := range addrs {
		id, ok := byAddr[a].(float64)
		if !ok {
			t.Fatalf("%s: no numeric id in state (%v)", a, byAddr[a])
		}
		out = append(out, int64(id))
	}
	return out
}

// deployStep runs the quickstart's repository/deploy.sh as the pipeline's
// deploy step does, with what a build is given: the token and ids that
// Terraform wrote to Drone (read from the configuration's outputs, since
// Drone never shows a secret), the chart's name and the version built.
func deployStep(t *testing.T, root string, tf *tfcli.CLI, endpoint, chart, version string) {
	t.Helper()
	output := func(name string) string {
		v := strings.TrimSpace(must(t, tf, []string{"output", "-raw", "-no-color", name}).Stdout)
		if v == "" {
			t.Fatalf("output %s is empty", name)
		}
		return v
	}
	cmd := exec.Command("sh", filepath.Join(root, "examples", "quickstart", "repository", "deploy.sh"))
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "GALAXIAS_ENDPOINT=" + endpoint,
		"GALAXIAS_API_TOKEN=" + output("galaxias_api_token"), "GALAXIAS_APP_ID=" + output("galaxias_app_id"),
		"GALAXIAS_PROJECT_ENV_ID=" + output("galaxias_project_env_id"),
		"CHART_NAME=" + chart, "CHART_VERSION=" + version, "DEPLOY_DESCRIPTION=e2e: the pipeline's \"deploy\" step"}
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.HasPrefix(string(out), "deployed "+chart+" "+version+": deployment ") {
		t.Fatalf("deploy.sh: %v\n%s", err, out)
	}
	t.Logf("deploy.sh: %s", out)
}

// waitRunning waits until the app's release in the environment runs version
// (a server that deploys asynchronously answers before Helm is done), and
// returns its instance.
func waitRunning(t *testing.T, gc *client.Client, app, env int64, chart, version string) client.Instance {
	t.Helper()
	var in *client.Instance
	var err error
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(500 * time.Millisecond) {
		in, err = gc.FindInstance(context.Background(), app, env, chart)
		if err == nil && in != nil && in.ChartVersion == version {
			return *in
		}
	}
	t.Fatalf("the release of app %d runs %+v (%v), want chart %s", app, in, err, version)
	return client.Instance{}
}
