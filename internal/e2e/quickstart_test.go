package e2e

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/stack"
)

// TestQuickstart applies examples/quickstart as `make demo` does: no init,
// the providers from the dev_overrides CLI configuration that `make install`
// writes (the stack's TF_CLI_CONFIG_FILE, one file for both CLIs). It runs
// under each CLI with names of its own (a seeded service, its project,
// cluster and namespace), checks what runs through Galaxias's and Drone's
// APIs, requires an empty plan, destroys, and requires that nothing is left.
func TestQuickstart(t *testing.T) {
	root, env := stackEnv(t)
	if _, err := os.Stat(env.TFCLIConfigFile); err != nil {
		t.Fatalf("no dev_overrides CLI config (go run ./cmd/stack install): %v", err)
	}
	forEachCLI(t, func(t *testing.T, c cli) { testQuickstart(t, c, root, env) })
}

func testQuickstart(t *testing.T, c cli, root string, env *stack.Env) {
	name := "qs-" + randomSuffix(t)
	svc := seedServices(t, root, env, name)[0]
	tmp := t.TempDir()
	if err := CopyExamples(root, tmp, "quickstart"); err != nil {
		t.Fatal(err)
	}
	dockerPassword := "qs-docker-" + randomSuffix(t)
	tf := newRunner(t, c, env, filepath.Join(tmp, "quickstart"), env.TFCLIConfigFile,
		"TF_VAR_repository="+svc.Repository, "TF_VAR_app_name="+name, "TF_VAR_project="+name,
		"TF_VAR_cluster_name="+name, "TF_VAR_namespace="+name,
		"TF_VAR_kubeconfig="+testKubeconfig, "TF_VAR_docker_password="+dockerPassword,
		"TF_VAR_deployer_password=qs-"+randomSuffix(t)+randomSuffix(t))

	applied := true
	t.Cleanup(func() {
		if applied {
			if r, err := tf.Run(context.Background(), "destroy", "-auto-approve", "-no-color"); err != nil || r.ExitCode != 0 {
				t.Errorf("cleanup destroy: %v %v", err, r)
			}
		}
	})
	r := must(t, tf, []string{"apply", "-auto-approve", "-no-color"})
	if !strings.Contains(r.Stderr+r.Stdout, "overrides") {
		t.Errorf("%s did not report the development overrides: the providers may not come from the local build\n%s", c.Name, r)
	}

	var out struct {
		AppID    struct{ Value int64 } `json:"galaxias_app_id"`
		Deployed struct {
			Value struct {
				Release      string `json:"release"`
				Namespace    string `json:"namespace"`
				ChartVersion string `json:"chart_version"`
				Status       string `json:"status"`
			}
		} `json:"deployed"`
	}
	o := must(t, tf, []string{"output", "-json"})
	if err := json.Unmarshal([]byte(o.Stdout), &out); err != nil {
		t.Fatalf("%s output -json: %v\n%s", c.Name, err, o.Stdout)
	}
	newest := svc.Versions[len(svc.Versions)-1]
	if d := out.Deployed.Value; d.ChartVersion != newest || d.Status != "success" || d.Namespace != name {
		t.Errorf("deployed %+v, want chart %s in namespace %s", d, newest, name)
	}

	// What runs, seen through the servers' own APIs.
	ctx := context.Background()
	gc, err := client.New(client.Options{BaseURL: env.GalaxiasEndpoint, Token: env.GalaxiasToken})
	if err != nil {
		t.Fatal(err)
	}
	inst, err := gc.ListInstances(ctx, client.InstanceFilter{AppID: out.AppID.Value})
	if err != nil {
		t.Fatal(err)
	}
	if len(inst) != 1 || inst[0].ChartVersion != newest || inst[0].EnvNamespace != name {
		t.Errorf("instances of app %d: %+v, want one running %s in %s", out.AppID.Value, inst, newest, name)
	}
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
	if got := strings.Join(names, ","); got != "docker_password,docker_username,galaxias_api_token" {
		t.Errorf("Drone secrets of %s: %s", svc.Repository, got)
	}
	// The write-only password is nowhere in the state.
	if s := must(t, tf, []string{"show", "-json"}).Stdout; strings.Contains(s, dockerPassword) || !strings.Contains(s, newest) {
		t.Errorf("state: docker_password present %t, chart version %s present %t",
			strings.Contains(s, dockerPassword), newest, strings.Contains(s, newest))
	}

	must(t, tf, []string{"plan", "-detailed-exitcode", "-no-color"})

	must(t, tf, []string{"destroy", "-auto-approve", "-no-color"})
	applied = false
	if r := must(t, tf, []string{"state", "list"}); r.Stdout != "" {
		t.Fatalf("state after destroy:\n%s", r.Stdout)
	}
	if _, err := gc.GetApp(ctx, out.AppID.Value); !client.IsNotFound(err) {
		t.Errorf("app %d after destroy: %v, want not found", out.AppID.Value, err)
	}
	must(t, tf, []string{"plan", "-destroy", "-detailed-exitcode", "-no-color"})
}
