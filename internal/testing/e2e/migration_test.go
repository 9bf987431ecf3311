package e2e

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"text/template"

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/galaxiasapi"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/refserver"
)

// TestDeploymentStateFromEarlierVersion plans with state written by the
// provider before uninstall_on_destroy defaulted to true and before
// config_revision existed (testdata/deployment-v0-state.json.tmpl, a state file
// of that version with its ids templated). Where the configuration sets
// uninstall_on_destroy, the plan is empty; where it does not, the new
// default shows as the only change, and nothing is deployed.
func TestDeploymentStateFromEarlierVersion(t *testing.T) {
	root, env := stackEnv(t)
	ctx := context.Background()
	gc, err := client.New(client.Options{BaseURL: env.GalaxiasEndpoint, Token: env.GalaxiasToken})
	if err != nil {
		t.Fatal(err)
	}
	name := "mig-" + randomSuffix(t)
	const version = "1.0.0-master-abcdef"
	project, err := gc.CreateProject(ctx, client.ProjectInput{Name: name})
	noErr(t, err)
	cluster, err := gc.CreateCluster(ctx, client.ClusterInput{Name: name, Config: e2eKubeconfig(env)})
	noErr(t, err)
	e, err := gc.CreateEnv(ctx, client.EnvInput{ClusterID: cluster.ID, Namespace: name})
	noErr(t, err)
	pe, err := gc.CreateProjectEnv(ctx, project.ID, client.ProjectEnvInput{EnvID: e.ID})
	noErr(t, err)
	app, err := gc.CreateApp(ctx, client.AppInput{ProjectID: project.ID, Name: name})
	noErr(t, err)
	_, err = gc.PutAppConfig(ctx, app.ID, pe.ID, "replicaCount: 1\n")
	noErr(t, err)
	err = galaxiasapi.UploadChart(ctx, env.GalaxiasEndpoint, env.GalaxiasToken, refserver.TestChart(name, version))
	noErr(t, err)
	d, err := galaxiasapi.Deploy(ctx, gc, client.DeploymentInput{AppID: app.ID, ProjectEnvID: pe.ID, ChartName: name, ChartVersion: version, Description: "old"})
	noErr(t, err)
	t.Cleanup(func() {
		ctx := context.Background()
		if list, err := gc.ListAppInstances(ctx, app.ID); err == nil {
			for _, in := range list {
				_ = gc.DeleteInstance(ctx, in.ID)
			}
		}
		_ = gc.DeleteApp(ctx, app.ID)
		_ = gc.DeleteProjectEnv(ctx, project.ID, pe.ID)
		_ = gc.DeleteEnv(ctx, e.ID)
		_ = gc.DeleteCluster(ctx, cluster.ID)
		_ = gc.DeleteProject(ctx, project.ID)
		_ = galaxiasapi.DeleteChart(ctx, gc, env.GalaxiasEndpoint, env.GalaxiasToken, name, version)
	})
	tmpl, err := template.ParseFiles(filepath.Join(root, "internal", "testing", "e2e", "testdata", "deployment-v0-state.json.tmpl"))
	noErr(t, err)

	cases := []struct {
		name      string
		state     bool   // uninstall_on_destroy in the old state
		config    string // the attribute's line in the configuration
		wantExit  int
		wantAfter bool
	}{
		{"explicit false", false, "uninstall_on_destroy = false", 0, false},
		{"explicit true", true, "uninstall_on_destroy = true", 0, true},
		{"never set", false, "", 2, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			var state bytes.Buffer
			noErr(t, tmpl.Execute(&state, map[string]any{"ID": d.ID, "AppID": app.ID, "ProjectEnvID": pe.ID, "EnvID": e.ID,
				"Chart": name, "Version": version, "Namespace": name, "CreatedAt": d.CreatedAt.Format("2006-01-02T15:04:05Z07:00"),
				"Uninstall": c.state}))
			noErr(t, os.WriteFile(filepath.Join(dir, "terraform.tfstate"), state.Bytes(), 0o600))
			noErr(t, os.WriteFile(filepath.Join(dir, "main.tf"), []byte(fmt.Sprintf(`terraform {
  required_providers {
    galaxias = { source = "galaxias/galaxias" }
  }
}

resource "galaxias_deployment" "d" {
  app_id                 = %d
  project_environment_id = %d
  chart_version          = %q
  description            = "old"
  %s
}
`, app.ID, pe.ID, version, c.config)), 0o600))
			tf := newCLIRunner(t, terraformCLI(t, root), env, dir)
			must(t, tf, []string{"init", "-upgrade", "-no-color"})
			code, plan := planDetailed(t, tf)
			if code != c.wantExit {
				t.Fatalf("plan exit %d, want %d", code, c.wantExit)
			}
			ch := changes(plan)["galaxias_deployment.d"]
			want := "no-op"
			if c.wantExit == 2 {
				want = "update"
			}
			if ch.action() != want || ch.After["uninstall_on_destroy"] != c.wantAfter || ch.Unknown["id"] == true ||
				fmt.Sprint(ch.After["id"]) != fmt.Sprint(d.ID) {
				t.Fatalf("planned %s %+v (unknown %+v); want %s with uninstall_on_destroy %v and the same deployment",
					ch.action(), ch.After, ch.Unknown, want, c.wantAfter)
			}
			if c.wantExit == 2 {
				must(t, tf, []string{"apply", "-auto-approve", "-no-color", "e2e.tfplan"})
				list, err := gc.ListDeployments(ctx, client.DeploymentFilter{AppID: app.ID})
				noErr(t, err)
				if len(list) != 1 {
					t.Fatalf("applying the new default made deployments: %d", len(list))
				}
				must(t, tf, []string{"plan", "-detailed-exitcode", "-no-color"})
			}
		})
	}
}
