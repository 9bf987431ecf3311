package reliability_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/acctest"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/galaxiasapi"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/refserver"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/refserver/refservertest"
)

// broadConfig is the configuration applied under faults: a Drone repository
// with several secrets, and in Galaxias a project, cluster, environment,
// project-environment, app, app config, user and a deployment.
const broadConfig = `
terraform {
  required_providers {
    drone    = { source = "galaxias/drone" }
    galaxias = { source = "galaxias/galaxias" }
  }
}

provider "drone" {
  server          = %[1]q
  token           = %[2]q
  max_retries     = 6
  request_timeout = "20s"
}

provider "galaxias" {
  endpoint        = %[3]q
  token           = %[4]q
  max_retries     = 6
  request_timeout = "20s"
}

resource "drone_repo" "r" {
  repository = %[5]q
}

resource "drone_secret" "s" {
  for_each   = toset(%[6]s)
  repository = drone_repo.r.repository
  name       = each.key
  value      = "value-of-${each.key}"
}

resource "galaxias_project" "p" {
  name = %[7]q
}

resource "galaxias_cluster" "c" {
  name   = %[7]q
  config = "apiVersion: v1\nkind: Config\n"
}

resource "galaxias_environment" "e" {
  cluster_id = galaxias_cluster.c.id
  namespace  = %[7]q
}

resource "galaxias_project_environment" "pe" {
  project_id     = galaxias_project.p.id
  environment_id = galaxias_environment.e.id
}

resource "galaxias_app" "a" {
  project_id = galaxias_project.p.id
  name       = %[7]q
}

resource "galaxias_app_config" "ac" {
  app_id                 = galaxias_app.a.id
  project_environment_id = galaxias_project_environment.pe.id
  values                 = "replicaCount: 2\n"
}

resource "galaxias_user" "u" {
  name                = "%[7]s-deployer"
  role                = "deployer"
  password_wo         = "a-long-deployer-password"
  password_wo_version = 1
}

resource "galaxias_deployment" "d" {
  app_id                 = galaxias_app.a.id
  project_environment_id = galaxias_project_environment.pe.id
  chart_version          = "1.0.0-master-abcdef"
  description            = "under faults"
  uninstall_on_destroy   = true
  depends_on             = [galaxias_app_config.ac]
}
`

var faultSecrets = []string{"docker_username", "docker_password", "galaxias_api_token", "registry_url", "slack_webhook"}

// TestAccFaults applies the broad configuration while about 30% of the
// requests of both providers fail: 500/502/503 answers, 429 with
// Retry-After, connections dropped before and after the server processed
// the request, and latency. It must converge within three applies (or on the first apply after the faults stop), create
// exactly the intended objects (counted through the servers' APIs, with no
// duplicate deployment although the deployment POST's answer is lost), and
// plan nothing once the faults stop.
func TestAccFaults(t *testing.T) {
	acctest.PreCheck(t)
	ctx := context.Background()
	name := acctest.Name("flt")
	slug := acctest.GiteaAdmin(t).CreateRepo(t, name)

	gx := startGalaxias(t, refserver.Options{})
	if err := galaxiasapi.UploadChart(ctx, gx.URL, gx.Token, refserver.TestChart(name, "1.0.0-master-abcdef")); err != nil {
		t.Fatal(err)
	}
	dp := newFaultProxy(t, acctest.Env(t, "DRONE_SERVER"))

	dir := t.TempDir()
	quoted := make([]string, len(faultSecrets))
	for i, s := range faultSecrets {
		quoted[i] = fmt.Sprintf("%q", s)
	}
	config := fmt.Sprintf(broadConfig, dp.URL, acctest.Env(t, "DRONE_TOKEN"), gx.URL, gx.Token, slug,
		"["+strings.Join(quoted, ", ")+"]", name)
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	tf := newCLI(t, dir)
	t.Cleanup(func() {
		dp.set(0)
		refservertest.SetFaults(t, gx.URL, gx.Token)
		if code, out := tf.run(t, "destroy", "-auto-approve", "-no-color"); code != 0 {
			t.Errorf("destroy: %s", errorLines(out))
		}
	})

	// Faults on. The first answers of a Drone secret POST, of a Galaxias
	// project POST and of the deployment POST are lost after the servers
	// processed them; on top of that about 30% of all requests fail.
	dp.forceNext("POST /api/repos/"+slug+"/secrets", kindDropAfter, kind502After)
	dp.set(0.3)
	refservertest.SetFaults(t, gx.URL, gx.Token,
		"route=POST /v1/deployments,kind=drop-after,limit=1",
		"route=POST /v1/projects,kind=drop-after,limit=1",
		"kind=500,rate=0.07",
		"kind=503,rate=0.06,retry_after=1",
		"kind=429,rate=0.05,retry_after=1",
		"kind=drop-before,rate=0.055",
		"kind=drop-after,rate=0.045",
		"latency=50ms,rate=0.11",
	)

	// Up to three applies under faults. Each one may fail with a clear
	// error; whatever it made must be known to the next. If the faults are
	// still winning after three (a matter of chance at 30%), one apply
	// with the faults off must then converge, without duplicates.
	const faultyApplies = 3
	applies, converged := 0, false
	for applies < faultyApplies && !converged {
		applies++
		code, out := tf.run(t, "apply", "-auto-approve", "-no-color")
		if code == 0 {
			converged = true
			break
		}
		errs := errorLines(out)
		if errs == "" {
			t.Fatalf("apply %d failed without an Error diagnostic:\n%s", applies, out)
		}
		t.Logf("apply %d failed, as faults may make it:\n%s", applies, errs)
		if os.Getenv("RELIABILITY_VERBOSE") != "" {
			t.Log(out)
		}
	}
	t.Logf("Drone proxy: %s", dp.summary())
	t.Logf("Galaxias: %s", gx.summary())
	if !converged {
		dp.set(0)
		refservertest.SetFaults(t, gx.URL, gx.Token)
		applies++
		if code, out := tf.run(t, "apply", "-auto-approve", "-no-color"); code != 0 {
			t.Fatalf("no convergence: the apply after the faults stopped failed:\n%s", out)
		}
		t.Logf("converged on apply %d, the first without faults", applies)
	} else {
		t.Logf("converged under faults on apply %d", applies)
	}

	// Faults off: nothing left to do.
	dp.set(0)
	refservertest.SetFaults(t, gx.URL, gx.Token)
	if code, out := tf.run(t, "plan", "-detailed-exitcode", "-no-color"); code != 0 {
		t.Fatalf("plan after apply is not empty (exit %d):\n%s", code, out)
	}

	// Count through the servers' APIs.
	var secrets []struct {
		Name string `json:"name"`
	}
	owner, repo, _ := strings.Cut(slug, "/")
	acctest.DroneDo(t, "GET", acctest.DronePath(t, "api", "repos", owner, repo, "secrets"), nil, &secrets)
	var secretNames []string
	for _, s := range secrets {
		secretNames = append(secretNames, s.Name)
	}
	sort.Strings(secretNames)
	want := append([]string(nil), faultSecrets...)
	sort.Strings(want)
	if strings.Join(secretNames, ",") != strings.Join(want, ",") {
		t.Errorf("Drone secrets of %s: %v, want %v", slug, secretNames, want)
	}
	repos, err := acctest.DroneAPI(t).Repos.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	activeRepos := 0
	for _, r := range repos {
		if r.Slug == slug && r.Active {
			activeRepos++
		}
	}
	if activeRepos != 1 {
		t.Errorf("%d active Drone repos %s, want 1", activeRepos, slug)
	}

	counts := galaxiasCounts(t, gx.API, name)
	for what, n := range counts {
		if n != 1 {
			t.Errorf("%d Galaxias %s, want exactly 1", n, what)
		}
	}
	t.Logf("counts after %d applies: Drone repos=%d secrets=%d; Galaxias %v", applies, activeRepos, len(secretNames), counts)
}

// galaxiasCounts counts, through the API, the records the broad
// configuration makes in Galaxias, all named after name.
func galaxiasCounts(t *testing.T, api *client.Client, name string) map[string]int {
	t.Helper()
	ctx := context.Background()
	counts := map[string]int{}
	projects, err := api.ListProjects(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	clusters, err := api.ListClusters(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	envs, err := api.ListEnvs(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	var apps []client.App
	all, err := api.ListProjects(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range all {
		list, err := api.ListProjectApps(ctx, p.ID)
		if err != nil && !client.IsNotFound(err) {
			t.Fatal(err)
		}
		for _, a := range list {
			if strings.Contains(a.Name, name) {
				apps = append(apps, a)
			}
		}
	}
	users, err := api.ListUsers(ctx, name+"-deployer")
	if err != nil {
		t.Fatal(err)
	}
	counts["projects"], counts["clusters"], counts["envs"], counts["apps"], counts["users"] =
		len(projects), len(clusters), len(envs), len(apps), len(users)
	for _, p := range projects {
		pes, err := api.ListProjectEnvs(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		counts["project-envs"] += len(pes)
	}
	for _, a := range apps {
		ds, err := api.ListDeployments(ctx, client.DeploymentFilter{AppID: a.ID})
		if err != nil {
			t.Fatal(err)
		}
		counts["deployments"] += len(ds)
		is, err := api.ListInstances(ctx, client.InstanceFilter{AppID: a.ID})
		if err != nil {
			t.Fatal(err)
		}
		counts["instances"] += len(is)
	}
	return counts
}
