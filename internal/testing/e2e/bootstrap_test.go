package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/stack"

	"github.com/galaxias/terraform-provider-galaxias/internal/testing/tfcli"
)

type bootstrapOutputs struct {
	ProjectID   int64            `json:"project_id"`
	ProjectEnvs map[string]int64 `json:"project_environment_ids"`
	Services    map[string]struct {
		AppID       int64  `json:"app_id"`
		Repository  string `json:"repository"`
		Deployments map[string]struct {
			Release      string `json:"release"`
			Namespace    string `json:"namespace"`
			ChartVersion string `json:"chart_version"`
			Status       string `json:"status"`
		} `json:"deployments"`
	} `json:"services"`
}

func readOutputs(t *testing.T, tf *tfcli.CLI) bootstrapOutputs {
	t.Helper()
	r := must(t, tf, []string{"output", "-json"})
	var raw map[string]struct {
		Value json.RawMessage `json:"value"`
	}
	if err := json.Unmarshal([]byte(r.Stdout), &raw); err != nil {
		t.Fatalf("%s output -json: %v\n%s", r.CLI, err, r.Stdout)
	}
	var out bootstrapOutputs
	for name, dst := range map[string]any{"project_id": &out.ProjectID, "project_environment_ids": &out.ProjectEnvs, "services": &out.Services} {
		if err := json.Unmarshal(raw[name].Value, dst); err != nil {
			t.Fatalf("output %s: %v", name, err)
		}
	}
	return out
}

// bootstrapRoot calls examples/bootstrap-environment as the module it is:
// once creating the cluster and the services, and once per team with
// for_each and depends_on, on that same cluster (cluster, whose id is known
// only after apply) and without
// services.
const bootstrapRoot = `
terraform {
  required_providers {
    drone    = { source = "galaxias/drone", version = "~> 0.1" }
    galaxias = { source = "galaxias/galaxias", version = "~> 0.1" }
  }
}

provider "drone" {}
provider "galaxias" {}

variable "project" { type = string }
variable "environments" { type = any }
variable "services" { type = any }
variable "deployer_email" { type = string }
variable "teams" { type = map(map(object({ namespace = string }))) }
variable "kubeconfig" {
  type      = string
  sensitive = true
  ephemeral = true
}
variable "docker_password" {
  type      = string
  sensitive = true
  ephemeral = true
}
variable "deployer_password" {
  type      = string
  sensitive = true
  ephemeral = true
}

module "environment" {
  source = "../bootstrap-environment"

  project           = var.project
  environments      = var.environments
  services          = var.services
  kubeconfig        = var.kubeconfig
  docker_password   = var.docker_password
  deployer_email    = var.deployer_email
  deployer_password = var.deployer_password
}

module "team" {
  source   = "../bootstrap-environment"
  for_each = var.teams

  project           = each.key
  cluster           = { id = module.environment.cluster_id }
  environments      = each.value
  services          = {}
  docker_password   = var.docker_password
  deployer_email    = "${each.key}-deployer@example.com"
  deployer_password = var.deployer_password

  depends_on = [module.environment]
}

output "project_id" { value = module.environment.project_id }
output "project_environment_ids" { value = module.environment.project_environment_ids }
output "services" { value = module.environment.services }
output "cluster_id" { value = module.environment.cluster_id }
output "teams" {
  value = { for k, m in module.team : k => { cluster_id = m.cluster_id, project_id = m.project_id } }
}
`

// TestBootstrapEnvironment applies examples/bootstrap-environment as a
// module against the stack (three services through the galaxias-service
// module, two environments, a new cluster), plus two more instances of it
// through for_each that share that cluster (cluster), checks what runs,
// requires an empty plan, then destroys it and requires that nothing is
// left; under each CLI.
func TestBootstrapEnvironment(t *testing.T) {
	root, env := stackEnv(t)
	forEachCLI(t, func(t *testing.T, c cli) { testBootstrapEnvironment(t, c, root, env) })
}

func testBootstrapEnvironment(t *testing.T, c cli, root string, env *stack.Env) {
	project := "e2e-" + randomSuffix(t)
	services := seedServices(t, root, env, project+"-gateway", project+"-push", project+"-console")

	tmp := t.TempDir()
	if err := copyExamples(root, tmp, "bootstrap-environment", "modules"); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(tmp, "root")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(bootstrapRoot), 0o600); err != nil {
		t.Fatal(err)
	}
	teams := map[string]any{}
	for _, team := range []string{project + "-t1", project + "-t2"} {
		teams[team] = map[string]any{"staging": map[string]any{"namespace": team + "-staging"}}
	}
	_, secrets := bootstrapVars(t, env, dir, project, services, map[string]any{"teams": teams})
	tf := newCLIRunner(t, c, env, dir, secrets...)

	must(t, tf, []string{"init", "-no-color"})
	applied := false
	t.Cleanup(func() {
		if applied {
			if r, err := tf.Run(t.Context(), "destroy", "-auto-approve", "-no-color"); err != nil || r.ExitCode != 0 {
				t.Errorf("cleanup destroy: %v %v", err, r)
			}
		}
	})
	applied = true
	must(t, tf, []string{"apply", "-auto-approve", "-no-color"})

	out := readOutputs(t, tf)
	if len(out.ProjectEnvs) != 2 || len(out.Services) != 3 {
		t.Fatalf("want 2 environments and 3 services, got %+v", out)
	}
	for _, s := range services {
		got, ok := out.Services[s.Name]
		if !ok {
			t.Fatalf("service %s missing from the outputs", s.Name)
		}
		if got.Repository != s.Repository || got.AppID == 0 {
			t.Errorf("service %s: repository %q app %d", s.Name, got.Repository, got.AppID)
		}
		newest := s.Versions[len(s.Versions)-1]
		for _, envName := range []string{"staging", "production"} {
			d, ok := got.Deployments[envName]
			if !ok {
				t.Fatalf("service %s: no deployment in %s", s.Name, envName)
			}
			if d.ChartVersion != newest || d.Status != "success" || d.Namespace != project+"-"+envName ||
				d.Release != s.Name+"-"+project+"-"+envName {
				t.Errorf("service %s in %s: %+v, want chart %s", s.Name, envName, d, newest)
			}
		}
	}
	checkSharedCluster(t, tf, env, project, teams)

	// A second plan is empty.
	must(t, tf, []string{"plan", "-detailed-exitcode", "-no-color"})

	must(t, tf, []string{"destroy", "-auto-approve", "-no-color"})
	applied = false
	if r := must(t, tf, []string{"state", "list"}); r.Stdout != "" {
		t.Fatalf("state after destroy:\n%s", r.Stdout)
	}
	must(t, tf, []string{"plan", "-destroy", "-detailed-exitcode", "-no-color"})
}

// checkSharedCluster requires the teams' module instances to have put their
// environments on the cluster the first instance created, and to have
// created no cluster and a deployer with an email of their own.
func checkSharedCluster(t *testing.T, tf *tfcli.CLI, env *stack.Env, project string, teams map[string]any) {
	t.Helper()
	ctx := t.Context()
	r := must(t, tf, []string{"output", "-json"})
	var raw struct {
		ClusterID struct{ Value int64 } `json:"cluster_id"`
		Teams     struct {
			Value map[string]struct {
				ClusterID int64 `json:"cluster_id"`
				ProjectID int64 `json:"project_id"`
			}
		} `json:"teams"`
	}
	if err := json.Unmarshal([]byte(r.Stdout), &raw); err != nil {
		t.Fatalf("output -json: %v", err)
	}
	if raw.ClusterID.Value == 0 || len(raw.Teams.Value) != len(teams) {
		t.Fatalf("outputs: cluster %d, teams %+v", raw.ClusterID.Value, raw.Teams.Value)
	}
	gc, err := client.New(client.Options{BaseURL: env.GalaxiasEndpoint, Token: env.GalaxiasToken})
	noErr(t, err)
	envs, err := gc.ListClusterEnvs(ctx, raw.ClusterID.Value)
	noErr(t, err)
	namespaces := map[string]bool{}
	for _, e := range envs {
		namespaces[e.Namespace] = true
	}
	clusters, err := gc.ListClusters(ctx, project)
	noErr(t, err)
	for team, tv := range raw.Teams.Value {
		if tv.ClusterID != raw.ClusterID.Value || tv.ProjectID == 0 {
			t.Errorf("team %s: cluster %d project %d, want cluster %d", team, tv.ClusterID, tv.ProjectID, raw.ClusterID.Value)
		}
		if !namespaces[team+"-staging"] {
			t.Errorf("team %s: no environment %s-staging on cluster %d (has %v)", team, team, raw.ClusterID.Value, namespaces)
		}
		for _, c := range clusters {
			if c.Name == team+"-cluster" {
				t.Errorf("team %s: the module created cluster %s although cluster was given", team, c.Name)
			}
		}
		users, err := gc.ListUsers(ctx, team+"-deployer")
		noErr(t, err)
		found := false
		for _, u := range users {
			found = found || u.Name == team+"-deployer" && u.Email == team+"-deployer@example.com"
		}
		if !found {
			t.Errorf("team %s: no deployer with its email among %+v", team, users)
		}
	}
}
