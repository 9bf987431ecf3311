package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/stack"
)

// planJSON runs terraform plan -out and terraform show -json, and returns
// the plan's exit code (-detailed-exitcode) and its JSON.
func planJSON(t *testing.T, tf *Terraform, extra ...string) (int, map[string]any) {
	t.Helper()
	args := append([]string{"plan", "-detailed-exitcode", "-no-color", "-input=false", "-out=e2e.tfplan"}, extra...)
	r := must(t, tf, args, 0, 2)
	show := must(t, tf, []string{"show", "-json", "e2e.tfplan"})
	var plan map[string]any
	if err := json.Unmarshal([]byte(show.Stdout), &plan); err != nil {
		t.Fatalf("terraform show -json: %v", err)
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

func (c planChange) action() string { return strings.Join(c.Actions, "+") }

// renderedManifest reads, through the reference server's test-only route,
// what the instance was last rendered to (a cluster's helm get manifest).
func renderedManifest(t *testing.T, env *stack.Env, instanceID int64) string {
	t.Helper()
	a := apiCaller{t: t, base: env.GalaxiasEndpoint, token: env.GalaxiasToken}
	var rel struct{ Manifest string }
	if err := json.Unmarshal(a.call("GET", fmt.Sprintf("/v1/_test/instances/%d/release", instanceID), nil, 200), &rel); err != nil {
		t.Fatal(err)
	}
	return rel.Manifest
}

// TestQuickstart applies examples/quickstart as a new user would, changes
// replicas (the values roll the release out: one new deployment, rendered
// with the new values), then destroys it with its defaults and requires
// that nothing it made is left in Galaxias.
func TestQuickstart(t *testing.T) {
	root, env := stackEnv(t)
	ctx := context.Background()
	suffix := randomSuffix(t)
	svc := seedServices(t, root, env, "qs-"+suffix)[0]
	project, cluster, namespace := "qs-"+suffix, "qs-cluster-"+suffix, "qs-"+suffix+"-staging"

	tmp := t.TempDir()
	if err := CopyExamples(root, tmp, "quickstart"); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(tmp, "quickstart")
	vars := map[string]any{"repository": svc.Repository, "app_name": svc.Name, "project": project,
		"cluster_name": cluster, "namespace": namespace}
	b, _ := json.Marshal(vars)
	if err := os.WriteFile(filepath.Join(dir, "e2e.auto.tfvars.json"), b, 0o600); err != nil {
		t.Fatal(err)
	}
	tf := newTerraform(t, env, dir, "TF_VAR_kubeconfig="+testKubeconfig,
		"TF_VAR_docker_password=e2e-"+randomSuffix(t), "TF_VAR_deployer_password=e2e-"+randomSuffix(t)+randomSuffix(t))
	gc, err := client.New(client.Options{BaseURL: env.GalaxiasEndpoint, Token: env.GalaxiasToken})
	if err != nil {
		t.Fatal(err)
	}

	must(t, tf, []string{"init", "-upgrade", "-no-color"})
	applied := true
	t.Cleanup(func() {
		if applied {
			if r, err := tf.Run(context.Background(), "destroy", "-auto-approve", "-no-color"); err != nil || r.ExitCode != 0 {
				t.Errorf("cleanup destroy: %v %v", err, r)
			}
		}
	})
	must(t, tf, []string{"apply", "-auto-approve", "-no-color"})
	must(t, tf, []string{"plan", "-detailed-exitcode", "-no-color"})

	var appID int64
	if err := json.Unmarshal([]byte(must(t, tf, []string{"output", "-raw", "galaxias_app_id"}).Stdout), &appID); err != nil {
		t.Fatal(err)
	}
	instance := func() client.Instance {
		list, err := gc.ListAppInstances(ctx, appID)
		if err != nil || len(list) != 1 {
			t.Fatalf("instances of app %d: %+v %v", appID, list, err)
		}
		return list[0]
	}
	deployments := func() int {
		list, err := gc.ListDeployments(ctx, client.DeploymentFilter{AppID: appID})
		if err != nil {
			t.Fatal(err)
		}
		return len(list)
	}
	before, n := instance(), deployments()

	// The new user's experiment: another replica count.
	code, plan := planJSON(t, tf, "-var=replicas=3")
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
	if m := renderedManifest(t, env, after.ID); !strings.Contains(m, "replicas: 3\n") {
		t.Errorf("the release was rendered to\n%s\nwant replicas: 3", m)
	}
	must(t, tf, []string{"plan", "-detailed-exitcode", "-no-color", "-var=replicas=3"})

	must(t, tf, []string{"destroy", "-auto-approve", "-no-color", "-var=replicas=3"})
	applied = false
	if r := must(t, tf, []string{"state", "list"}); r.Stdout != "" {
		t.Fatalf("state after destroy:\n%s", r.Stdout)
	}
	left := leftInGalaxias(t, gc, project, cluster, namespace, svc.Name+"-"+namespace, project+"-deployer")
	if len(left) > 0 {
		t.Errorf("left in Galaxias after destroy: %s", strings.Join(left, "; "))
	}
	// The seeded repository keeps its Drone webhook (Drone 1.x leaves it).
	_, _ = stack.RemoveDroneHooks(ctx, env, svc.Repository)
}

// leftInGalaxias lists what still exists in Galaxias under the given names.
func leftInGalaxias(t *testing.T, gc *client.Client, project, cluster, namespace, release, user string) []string {
	t.Helper()
	ctx := context.Background()
	projects, err1 := gc.ListProjects(ctx, project)
	clusters, err2 := gc.ListClusters(ctx, cluster)
	envs, err3 := gc.ListEnvs(ctx, namespace)
	instances, err4 := gc.ListInstances(ctx, client.InstanceFilter{Name: release})
	users, err5 := gc.ListUsers(ctx, user)
	for _, err := range []error{err1, err2, err3, err4, err5} {
		if err != nil {
			t.Fatal(err)
		}
	}
	var left []string
	left = appendNamed(left, "project", project, projects, func(p client.Project) string { return p.Name })
	left = appendNamed(left, "cluster", cluster, clusters, func(c client.Cluster) string { return c.Name })
	left = appendNamed(left, "environment", namespace, envs, func(e client.Env) string { return e.Namespace })
	left = appendNamed(left, "release", release, instances, func(in client.Instance) string { return in.Name })
	return appendNamed(left, "user", user, users, func(u client.User) string { return u.Name })
}

// appendNamed appends "<kind> <name>" for each record named name.
func appendNamed[T any](left []string, kind, name string, records []T, nameOf func(T) string) []string {
	for _, r := range records {
		if nameOf(r) == name {
			left = append(left, kind+" "+name)
		}
	}
	return left
}
