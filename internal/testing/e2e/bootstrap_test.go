package e2e

import (
	"encoding/json"
	"path/filepath"
	"testing"

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

// TestBootstrapEnvironment applies examples/bootstrap-environment (three
// services through the galaxias-service module, two environments) against
// the stack, checks what runs, requires an empty plan, then destroys it and
// requires that nothing is left; under each CLI.
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
	dir := filepath.Join(tmp, "bootstrap-environment")
	_, secrets := bootstrapVars(t, env, dir, project, services)
	tf := newCLIRunner(t, c, env, dir, secrets...)

	must(t, tf, []string{"init", "-upgrade", "-no-color"})
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

	// A second plan is empty.
	must(t, tf, []string{"plan", "-detailed-exitcode", "-no-color"})

	must(t, tf, []string{"destroy", "-auto-approve", "-no-color"})
	applied = false
	if r := must(t, tf, []string{"state", "list"}); r.Stdout != "" {
		t.Fatalf("state after destroy:\n%s", r.Stdout)
	}
	must(t, tf, []string{"plan", "-destroy", "-detailed-exitcode", "-no-color"})
}
