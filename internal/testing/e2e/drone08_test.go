package e2e

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/galaxias/terraform-provider-galaxias/internal/testing/drone08"
)

// quickstartDronePart returns the Drone part of examples/quickstart/main.tf:
// the terraform block, the provider blocks, the drone_* resources and the
// Galaxias service account whose token one secret carries (not the secrets
// carrying the app's and project environment's ids). The quickstart is
// `terraform fmt`ed, so a top-level block is the lines from one that starts
// a block at column 0 to the next "}" at column 0.
func quickstartDronePart(t *testing.T, root string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, "examples", "quickstart", "main.tf"))
	if err != nil {
		t.Fatal(err)
	}
	keep := func(header string) bool {
		return header == "terraform {" || strings.HasPrefix(header, `provider "`) ||
			strings.HasPrefix(header, `resource "drone_`) || header == `resource "galaxias_user" "deployer" {`
	}
	var out, block []string
	for _, line := range strings.Split(string(b), "\n") {
		switch {
		case block == nil && strings.HasSuffix(line, "{") && !strings.HasPrefix(line, " ") && !strings.HasPrefix(line, "#"):
			block = []string{line}
		case block != nil:
			block = append(block, line)
			if line == "}" {
				if keep(block[0]) && !strings.Contains(strings.Join(block, "\n"), "galaxias_app.") &&
					!strings.Contains(strings.Join(block, "\n"), "galaxias_project_environment.") {
					out = append(out, strings.Join(block, "\n"))
				}
				block = nil
			}
		}
	}
	return strings.Join(out, "\n\n") + "\n"
}

// TestDrone08Quickstart applies the Drone part of the quickstart (the
// repository and its three secrets) with the real terraform CLI and the
// built provider against the Drone 0.8 fake, in this process: the cron job
// is explained as unavailable at plan time and left out with enable_cron =
// false; then the plan is empty, the objects import, and destroy removes
// them. The secret carrying the service account's token needs the stack's
// Galaxias.
func TestDrone08Quickstart(t *testing.T) {
	root, env := stackEnv(t)
	f := drone08.New(t, drone08.Options{})
	const repo = "idea-aurora/aurora-push-service"
	f.AddSCMRepo(repo, "master")

	dir := t.TempDir()
	main := quickstartDronePart(t, root)
	for _, want := range []string{`resource "drone_repo" "push"`, `resource "drone_cron" "nightly"`, `"galaxias_api_token"`} {
		if !strings.Contains(main, want) {
			t.Fatalf("the quickstart's Drone part lacks %s:\n%s", want, main)
		}
	}
	vars, err := os.ReadFile(filepath.Join(root, "examples", "quickstart", "variables.tf"))
	if err != nil {
		t.Fatal(err)
	}
	for name, content := range map[string]string{"main.tf": main, "variables.tf": string(vars)} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	project := "e2e08-" + randomSuffix(t)
	tf := newCLIRunner(t, terraformCLI(t, root), env, dir,
		"DRONE_SERVER="+f.URL, "DRONE_TOKEN="+"drone08-admin-token",
		"TF_VAR_project="+project, "TF_VAR_kubeconfig="+e2eKubeconfig(env),
		"TF_VAR_docker_password=e2e-"+randomSuffix(t), "TF_VAR_deployer_password=e2e-"+randomSuffix(t)+randomSuffix(t))
	must(t, tf, []string{"init", "-upgrade", "-no-color"})

	// The cron job: a clear plan-time error, nothing sent.
	r := must(t, tf, []string{"plan", "-no-color"}, 1)
	if out := r.Stdout + r.Stderr; !strings.Contains(strings.Join(strings.Fields(out), " "), "Drone 0.8.9 has no cron API; it needs Drone ≥ 1.0") {
		t.Fatalf("the plan does not explain the cron job:\n%s", out)
	}
	if w := f.Writes(); len(w) != 0 {
		t.Fatalf("the refused plan wrote to Drone: %v", w)
	}

	noCron := []string{"-var", "enable_cron=false"}
	applied := false
	t.Cleanup(func() {
		if applied {
			if r, err := tf.Run(context.Background(), append([]string{"destroy", "-auto-approve", "-no-color"}, noCron...)...); err != nil || r.ExitCode != 0 {
				t.Errorf("cleanup destroy: %v %v", err, r)
			}
		}
	})
	applied = true
	must(t, tf, append([]string{"apply", "-auto-approve", "-no-color"}, noCron...))
	must(t, tf, append([]string{"plan", "-detailed-exitcode", "-no-color"}, noCron...))

	r0, ok := f.Repository(repo)
	if !ok || !r0.Active || !r0.Trusted || r0.Timeout != 30 {
		t.Errorf("Drone 0.8 repository: %+v (known %v), want active, trusted, timeout 30", r0, ok)
	}
	for _, name := range []string{"docker_username", "docker_password", "galaxias_api_token"} {
		s, ok := f.SecretOf(repo, name)
		if !ok || s.Value == "" || !slices.Equal(s.Events, []string{"deployment", "push", "tag"}) {
			t.Errorf("secret %s: %+v (known %v), want a value and the events deployment, push, tag", name, s, ok)
		}
	}
	if s, _ := f.SecretOf(repo, "docker_username"); s.Value != "robot-aurora" {
		t.Errorf("docker_username = %q", s.Value)
	}

	// Import: the repository and a secret, by their mavimo-compatible ids.
	for addr, id := range map[string]string{"drone_repo.push": repo, "drone_secret.docker_username": repo + "/docker_username"} {
		must(t, tf, []string{"state", "rm", "-no-color", addr})
		must(t, tf, append(append([]string{"import", "-no-color"}, noCron...), addr, id))
	}
	// An imported secret has no value in state: one in-place update writes it.
	r = must(t, tf, append([]string{"plan", "-detailed-exitcode", "-no-color"}, noCron...), 2)
	if !strings.Contains(r.Stdout, "drone_secret.docker_username will be updated in-place") || strings.Contains(r.Stdout, "drone_repo.push will") {
		t.Fatalf("plan after the import:\n%s", r.Stdout)
	}
	must(t, tf, append([]string{"apply", "-auto-approve", "-no-color"}, noCron...))
	must(t, tf, append([]string{"plan", "-detailed-exitcode", "-no-color"}, noCron...))

	must(t, tf, append([]string{"destroy", "-auto-approve", "-no-color"}, noCron...))
	applied = false
	if r := must(t, tf, []string{"state", "list"}); r.Stdout != "" {
		t.Fatalf("state after destroy:\n%s", r.Stdout)
	}
	if r0, _ := f.Repository(repo); r0.Active {
		t.Error("the repository is still active in Drone 0.8")
	}
	for _, name := range []string{"docker_username", "docker_password", "galaxias_api_token"} {
		if _, ok := f.SecretOf(repo, name); ok {
			t.Errorf("secret %s still in Drone 0.8", name)
		}
	}
	for _, c := range f.Calls() {
		if strings.Contains(c, "/cron") || strings.HasPrefix(c, "POST /api/user/repos") {
			t.Errorf("a request 0.8 does not have: %s", c)
		}
	}
	t.Logf("%d requests to the Drone 0.8 fake", len(f.Calls()))
}
