package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/galaxiasapi"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/stack"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/tfcli"
)

// driftKinds holds drift-check.sh to each of its answers on the applied
// drift-detection example, and to the lock file:
//   - pending only (exit 3): a newly uploaded chart (the newest-chart mode
//     rolls it out), then a change of the configuration; nothing changed
//     outside Terraform;
//   - accepted (exit 0): a change outside Terraform that the configuration
//     keeps (a repository's visibility, which it does not set), and exit 2
//     with DRIFT_STRICT=1;
//   - the lock file: the script's init keeps the locked provider version
//     although the mirror offers a newer one, and fails without a lock file.
//
// Each part ends with the check exiting 0 (drift, exit 2, is the rest of
// TestDriftDetection).
func driftKinds(t *testing.T, tf *tfcli.CLI, script string, env *stack.Env, varsFile string, out bootstrapOutputs, services []service) {
	root := repoRoot(t)
	a, am := services[0], `module.environment.module.service["`+services[0].Name+`"]`
	b, bm := services[1], `module.environment.module.service["`+services[1].Name+`"]`
	check := func(t *testing.T, wantCode int, finding string, want []string, envs ...string) []driftRow {
		t.Helper()
		code, rows, text := runDriftCheck(t, tf, script, envs...)
		t.Logf("drift-check:\n%s", text)
		if code != wantCode {
			t.Fatalf("want exit %d, got %d", wantCode, code)
		}
		if got := found(rows, finding); strings.Join(got, "\n") != strings.Join(sorted(want), "\n") {
			t.Errorf("%s resources:\n got %q\nwant %q", finding, got, sorted(want))
		}
		if finding != "drift" {
			if got := found(rows, "drift"); len(got) != 0 {
				t.Errorf("drift reported: %q", got)
			}
		}
		return rows
	}
	clean := func(t *testing.T) {
		t.Helper()
		if code, rows, text := runDriftCheck(t, tf, script); code != 0 || len(rows) != 0 {
			t.Fatalf("want exit 0 and no table, got %d\n%s", code, text)
		}
	}

	// Seeded for the whole test: the configuration deploys it from now on.
	newest := seedRelease(t, root, env, b, "1.0.2")
	t.Run("pending_new_chart", func(t *testing.T) {
		rows := check(t, 3, "pending", []string{bm + `.galaxias_deployment.this["production"]`, bm + `.galaxias_deployment.this["staging"]`})
		for _, r := range rows {
			if r.Outside != "-" || r.Plan != "rollout" || !strings.Contains(r.Attributes, newest) {
				t.Errorf("row %+v: want a rollout of %s, nothing outside Terraform", r, newest)
			}
		}
		must(t, tf, []string{"apply", "-auto-approve", "-no-color"})
		clean(t)
	})

	t.Run("pending_config_change", func(t *testing.T) {
		editVars(t, varsFile, func(v map[string]any) {
			svc := v["services"].(map[string]any)[a.Name].(map[string]any)
			svc["env"].(map[string]any)["FEATURE"] = "on"
		})
		check(t, 3, "pending", []string{
			am + `.galaxias_app_config.this["production"]`, am + `.galaxias_app_config.this["staging"]`,
			am + `.galaxias_deployment.this["production"]`, am + `.galaxias_deployment.this["staging"]`,
		})
		must(t, tf, []string{"apply", "-auto-approve", "-no-color"})
		clean(t)
	})

	t.Run("drift_beats_pending", func(t *testing.T) {
		editVars(t, varsFile, func(v map[string]any) {
			svc := v["services"].(map[string]any)[a.Name].(map[string]any)
			svc["env"].(map[string]any)["FEATURE"] = "off"
		})
		gc, err := client.New(client.Options{BaseURL: env.GalaxiasEndpoint, Token: env.GalaxiasToken})
		noErr(t, err)
		_, err = galaxiasapi.Deploy(context.Background(), gc, client.DeploymentInput{AppID: out.Services[b.Name].AppID,
			ProjectEnvID: out.ProjectEnvs["staging"], ChartName: b.Name, ChartVersion: b.Versions[0], Description: "by hand"})
		noErr(t, err)
		rows := check(t, 2, "drift", []string{bm + `.galaxias_deployment.this["staging"]`})
		if got := found(rows, "pending"); len(got) != 4 {
			t.Errorf("pending resources beside the drift: %q, want the four of %s", got, a.Name)
		}
		must(t, tf, []string{"apply", "-auto-approve", "-no-color"})
		clean(t)
	})

	t.Run("accepted", func(t *testing.T) {
		drone := apiCaller{t: t, base: env.DroneServer, token: env.DroneToken}
		drone.call("PATCH", "/api/repos/"+a.Repository, map[string]any{"visibility": "internal"}, 200)
		want := []string{am + ".drone_repo.this"}
		rows := check(t, 0, "accepted", want)
		if len(rows) != 1 || rows[0].Plan != "-" || !strings.Contains(rows[0].Attributes, "visibility:") {
			t.Errorf("rows %+v: want the visibility, changed outside Terraform, and no plan", rows)
		}
		check(t, 2, "drift", want, "DRIFT_STRICT=1")
		// Accept it into the state: the check is clean again, strict too.
		must(t, tf, []string{"apply", "-refresh-only", "-auto-approve", "-no-color"})
		clean(t)
		check(t, 0, "drift", nil, "DRIFT_STRICT=1")
	})

	t.Run("lock_file", func(t *testing.T) {
		lockPath := filepath.Join(tf.Dir, ".terraform.lock.hcl")
		lock, err := os.ReadFile(lockPath)
		noErr(t, err)
		if !bytes.Contains(lock, []byte(`version     = "`+stack.MirrorVersion+`"`)) {
			t.Fatalf("the lock file does not select %s:\n%s", stack.MirrorVersion, lock)
		}
		// The mirror now offers a newer release within "~> 0.1" too: init
		// -upgrade would take it; the check keeps the locked one.
		addMirrorVersion(t, tf, "0.1.99")
		if code, rows, text := runDriftCheck(t, tf, script, "DRIFT_INIT=1"); code != 0 || len(rows) != 0 {
			t.Fatalf("with init: want exit 0, got %d\n%s", code, text)
		}
		if after, err := os.ReadFile(lockPath); err != nil || !bytes.Equal(after, lock) {
			t.Fatalf("the check's init changed the lock file (%v):\n%s", err, after)
		}
		noErr(t, os.Rename(lockPath, lockPath+".saved"))
		defer func() { noErr(t, os.Rename(lockPath+".saved", lockPath)) }()
		code, _, text := runDriftCheck(t, tf, script, "DRIFT_INIT=1")
		if code != 1 || !strings.Contains(text, ".terraform.lock.hcl") {
			t.Fatalf("without a lock file: want exit 1 naming it, got %d\n%s", code, text)
		}
		if _, err := os.Stat(lockPath); err == nil {
			t.Error("the check wrote a lock file")
		}
	})
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	return out
}

// editVars rewrites the tfvars JSON file at path through edit.
func editVars(t *testing.T, path string, edit func(map[string]any)) {
	t.Helper()
	b, err := os.ReadFile(path)
	noErr(t, err)
	var v map[string]any
	noErr(t, json.Unmarshal(b, &v))
	edit(v)
	b, err = json.MarshalIndent(v, "", "  ")
	noErr(t, err)
	noErr(t, os.WriteFile(path, b, 0o600))
}

// seedRelease adds a release commit and its chart to a seeded service, as
// its pipeline would, and returns the new chart version (deleted when the
// test ends).
func seedRelease(t *testing.T, root string, env *stack.Env, s service, release string) string {
	t.Helper()
	files, err := stack.ReadTree(filepath.Join(root, "examples", "quickstart", "repository"))
	noErr(t, err)
	chart, err := stack.ReadTree(filepath.Join(root, "examples", "quickstart", "chart"))
	noErr(t, err)
	rename := func(in map[string]string) map[string]string {
		o := make(map[string]string, len(in))
		for p, c := range in {
			o[p] = strings.ReplaceAll(c, stack.DemoApp, s.Name)
		}
		return o
	}
	seedMu.Lock()
	res, err := stack.Seed(context.Background(), env, stack.SeedSpec{Org: stack.DemoOrg, Repo: s.Name, Branch: "master",
		Releases: []string{"1.0.0", "1.0.1", release}, Files: rename(files), ChartFiles: rename(chart)})
	seedMu.Unlock()
	noErr(t, err)
	v := res.Releases[len(res.Releases)-1].ChartVersion
	gc, err := client.New(client.Options{BaseURL: env.GalaxiasEndpoint, Token: env.GalaxiasToken})
	noErr(t, err)
	t.Cleanup(func() {
		_ = galaxiasapi.DeleteChart(context.Background(), gc, env.GalaxiasEndpoint, env.GalaxiasToken, s.Name, v)
	})
	return v
}

// addMirrorVersion offers the provider in tf's filesystem mirror under
// version too, beside stack.MirrorVersion.
func addMirrorVersion(t *testing.T, tf *tfcli.CLI, version string) {
	t.Helper()
	var cfg string
	for _, e := range tf.Env {
		if v, ok := strings.CutPrefix(e, "TF_CLI_CONFIG_FILE="); ok {
			cfg = v
		}
	}
	mirror := filepath.Dir(cfg)
	for _, host := range []string{"registry.terraform.io", "registry.opentofu.org"} {
		for _, typ := range []string{"drone", "galaxias"} {
			src := filepath.Join(mirror, host, "galaxias", typ, stack.MirrorVersion)
			err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
				if err != nil || d.IsDir() {
					return err
				}
				rel, _ := filepath.Rel(src, p)
				dst := filepath.Join(mirror, host, "galaxias", typ, version,
					strings.ReplaceAll(rel, "_v"+stack.MirrorVersion, "_v"+version))
				if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
					return err
				}
				b, err := os.ReadFile(p)
				if err != nil {
					return err
				}
				return os.WriteFile(dst, b, 0o755)
			})
			noErr(t, err)
		}
	}
}
