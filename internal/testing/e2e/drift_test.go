package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/stack"

	"github.com/galaxias/terraform-provider-galaxias/internal/testing/galaxiasapi"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/tfcli"
)

// driftRow is one line of drift-check.sh's table.
type driftRow struct{ Address, Finding, Outside, Plan, Attributes string }

// runDriftCheck runs examples/drift-detection/drift-check.sh in dir (without
// its init, unless env says DRIFT_INIT=1) and returns its exit code and the
// table's rows.
func runDriftCheck(t *testing.T, tf *tfcli.CLI, script string, env ...string) (int, []driftRow, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", script, tf.Dir)
	cmd.Env = append(append(append(os.Environ(), tf.Env...), "DRIFT_INIT=0", "DRIFT_STRICT=", "TF_CLI="+tf.Bin), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	text := out.String() + errb.String()
	var rows []driftRow
	table := false
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		switch {
		case strings.HasPrefix(line, "RESOURCE"):
			table = true
		case strings.HasPrefix(line, "drift-check:"):
			table = false
		case table:
			f := strings.Fields(line)
			if len(f) < 5 {
				t.Fatalf("drift-check: row %q has fewer than five columns\n%s", line, text)
			}
			rows = append(rows, driftRow{f[0], f[1], f[2], f[3], strings.Join(f[4:], " ")})
		}
	}
	return code, rows, text
}

// found returns the addresses of the table's rows with the finding (drift,
// pending, accepted).
func found(rows []driftRow, finding string) []string {
	var out []string
	for _, r := range rows {
		if r.Finding == finding {
			out = append(out, r.Address)
		}
	}
	sort.Strings(out)
	return out
}

type apiCaller struct {
	t     *testing.T
	base  string
	token string
}

func (a apiCaller) call(method, path string, body any, want ...int) []byte {
	a.t.Helper()
	var rd *bytes.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	} else {
		rd = bytes.NewReader(nil)
	}
	req, err := http.NewRequest(method, a.base+path, rd)
	if err != nil {
		a.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+a.token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(resp.Body)
	for _, w := range want {
		if resp.StatusCode == w {
			return buf.Bytes()
		}
	}
	a.t.Fatalf("%s %s: HTTP %d: %s", method, path, resp.StatusCode, buf.String())
	return nil
}

// TestDriftDetection applies examples/drift-detection (the bootstrap
// environment with its state in PostgreSQL through the pg backend), then
// makes each kind of out-of-band change through the servers' own APIs and
// requires drift-check.sh to exit 2 naming exactly the changed resources,
// and 0 again after an apply. It ends with the state lock: an apply while
// the lock is held fails (no wait) or waits, never corrupting the state.
// Each CLI runs it on its own schema of the one PostgreSQL server, and
// drift-check.sh runs with TF_CLI set to that CLI.
func TestDriftDetection(t *testing.T) {
	root, env := stackEnv(t)
	pg := startPostgres(t, root)
	forEachCLI(t, func(t *testing.T, cl cli) { testDriftDetection(t, cl, root, env, pg) })
}

func testDriftDetection(t *testing.T, cl cli, root string, env *stack.Env, pg *stack.PG) {
	ctx := context.Background()
	suffix := randomSuffix(t)
	project := "drift-" + suffix
	services := seedServices(t, root, env, project+"-gateway", project+"-push", project+"-console", project+"-infra")
	infra := services[3]
	services = services[:3]

	tmp := t.TempDir()
	if err := copyExamples(root, tmp, "drift-detection", "bootstrap-environment", "modules"); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(tmp, "drift-detection")
	script := filepath.Join(root, "examples", "drift-detection", "drift-check.sh")
	schema := "drift_" + suffix
	varsFile, secrets := bootstrapVars(t, env, dir, project, services, map[string]any{"infrastructure_repository": infra.Repository})
	tf := newCLIRunner(t, cl, env, dir, append(secrets, "PG_CONN_STR="+pg.ConnStr, "PG_SCHEMA_NAME="+schema)...)

	if psql, err := exec.LookPath("psql"); err == nil {
		// Registered before the destroy below, so it runs after it.
		t.Cleanup(func() {
			_ = exec.Command(psql, pg.ConnStr, "-q", "-c", "DROP SCHEMA IF EXISTS "+schema+" CASCADE").Run()
		})
	}
	must(t, tf, []string{"init", "-input=false", "-no-color"})
	applied := true
	t.Cleanup(func() {
		if applied {
			if r, err := tf.Run(context.Background(), "destroy", "-auto-approve", "-no-color", "-lock-timeout=2m"); err != nil || r.ExitCode != 0 {
				t.Errorf("cleanup destroy: %v %v", err, r)
			}
		}
	})
	must(t, tf, []string{"apply", "-auto-approve", "-no-color"})
	drone := apiCaller{t: t, base: env.DroneServer, token: env.DroneToken}
	if code, rows, text := runDriftCheck(t, tf, script); code != 0 || len(rows) != 0 {
		t.Fatalf("drift-check right after apply: exit %d\n%s", code, text)
	}
	// The cron job the example's drift pipeline triggers on exists in Drone.
	var crons []struct {
		Name, Expr string
	}
	noErr(t, json.Unmarshal(drone.call("GET", "/api/repos/"+infra.Repository+"/cron", nil, 200), &crons))
	if len(crons) != 1 || crons[0].Name != "drift" || crons[0].Expr != "0 0 6 * * *" {
		t.Errorf("cron jobs of %s: %+v, want one named drift", infra.Repository, crons)
	}

	out := readOutputs(t, tf)
	gc, err := client.New(client.Options{BaseURL: env.GalaxiasEndpoint, Token: env.GalaxiasToken})
	if err != nil {
		t.Fatal(err)
	}
	svc := func(i int) (service, string) {
		s := services[i]
		return s, fmt.Sprintf("module.environment.module.service[%q]", s.Name)
	}

	type change struct {
		name  string
		do    func()
		want  []string          // addresses changed outside Terraform
		attrs string            // an attribute the table must name for the first address
		plans map[string]string // address -> the PLAN column the table must show
	}
	a, am := svc(0)
	b, bm := svc(1)
	c, cm := svc(2)
	changes := []change{
		{
			name: "deploy another chart version",
			do: func() {
				if _, err := galaxiasapi.Deploy(ctx, gc, client.DeploymentInput{AppID: out.Services[a.Name].AppID,
					ProjectEnvID: out.ProjectEnvs["staging"], ChartName: a.Name, ChartVersion: a.Versions[0],
					Description: "by hand"}); err != nil {
					t.Fatal(err)
				}
			},
			want:  []string{am + `.galaxias_deployment.this["staging"]`},
			attrs: "chart_version",
			plans: map[string]string{am + `.galaxias_deployment.this["staging"]`: "rollout"},
		},
		{
			name: "delete a Drone secret",
			do: func() {
				drone.call("DELETE", "/api/repos/"+b.Repository+"/secrets/docker_password", nil, 204, 200)
			},
			want: []string{bm + ".drone_secret.docker_password"},
		},
		{
			name: "disable the repository",
			do:   func() { drone.call("DELETE", "/api/repos/"+c.Repository, nil, 200, 204) },
			want: []string{cm + ".drone_repo.this"},
		},
		{
			name:  "change a repository setting",
			do:    func() { drone.call("PATCH", "/api/repos/"+a.Repository, map[string]any{"timeout": 95}, 200) },
			want:  []string{am + ".drone_repo.this"},
			attrs: "timeout",
		},
		{
			name: "edit an app's values",
			do: func() {
				if _, err := gc.PutAppConfig(ctx, out.Services[b.Name].AppID, out.ProjectEnvs["production"],
					"replicaCount: 7\n"); err != nil {
					t.Fatal(err)
				}
			},
			// The values Galaxias holds changed: the deployment wired to
			// their revision shows it, and apply rolls the release out.
			want:  []string{bm + `.galaxias_app_config.this["production"]`, bm + `.galaxias_deployment.this["production"]`},
			attrs: "values",
			plans: map[string]string{
				bm + `.galaxias_app_config.this["production"]`: "update",
				bm + `.galaxias_deployment.this["production"]`: "rollout",
			},
		},
		{
			// Galaxias refuses to delete an app that runs: forget its
			// instances first. Deleting the app deletes its values too.
			name: "delete an app",
			do: func() {
				id := out.Services[c.Name].AppID
				inst, err := gc.ListInstances(ctx, client.InstanceFilter{AppID: id})
				if err != nil {
					t.Fatal(err)
				}
				for _, i := range inst {
					if err := gc.DeleteInstance(ctx, i.ID); err != nil {
						t.Fatal(err)
					}
				}
				if err := gc.DeleteApp(ctx, id); err != nil {
					t.Fatal(err)
				}
			},
			want: []string{
				cm + ".galaxias_app.this",
				cm + `.galaxias_app_config.this["production"]`,
				cm + `.galaxias_app_config.this["staging"]`,
				cm + `.galaxias_deployment.this["production"]`,
				cm + `.galaxias_deployment.this["staging"]`,
			},
		},
	}
	for _, ch := range changes {
		t.Run(strings.ReplaceAll(ch.name, " ", "_"), func(t *testing.T) {
			ch.do()
			code, rows, text := runDriftCheck(t, tf, script)
			t.Logf("drift-check after %q:\n%s", ch.name, text)
			if code != 2 {
				t.Fatalf("want exit 2, got %d", code)
			}
			want := append([]string(nil), ch.want...)
			sort.Strings(want)
			if got := found(rows, "drift"); strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("drifted resources:\n got %q\nwant %q", got, want)
			}
			if ch.attrs != "" {
				found := false
				for _, r := range rows {
					if r.Address == ch.want[0] && strings.Contains(r.Attributes, ch.attrs+":") {
						found = true
					}
				}
				if !found {
					t.Errorf("the table does not name attribute %s of %s", ch.attrs, ch.want[0])
				}
			}
			for addr, plan := range ch.plans {
				found := false
				for _, r := range rows {
					found = found || r.Address == addr && r.Plan == plan
				}
				if !found {
					t.Errorf("the table does not show %s for %s", plan, addr)
				}
			}
			for _, r := range rows {
				for _, s := range []string{env.DroneToken, env.GalaxiasToken} {
					if strings.Contains(r.Attributes, s) {
						t.Fatal("the table shows a token")
					}
				}
			}
			must(t, tf, []string{"apply", "-auto-approve", "-no-color"})
			if code, _, text := runDriftCheck(t, tf, script); code != 0 {
				t.Fatalf("after apply: want exit 0, got %d\n%s", code, text)
			}
			// In the cluster, the apply put back what is declared: each
			// release's Deployment runs the image of the version Galaxias
			// reports, with the environment's replicas.
			for _, s := range []service{a, b} {
				inst, err := gc.ListInstances(ctx, client.InstanceFilter{AppID: out.Services[s.Name].AppID})
				if err != nil || len(inst) != 2 {
					t.Fatalf("releases of %s: %+v %v; want staging and production", s.Name, inst, err)
				}
				for _, in := range inst {
					want := int32(1)
					if in.EnvNamespace == project+"-production" {
						want = 2
					}
					if d := deployed(t, env, in); d.Replicas != want || len(d.Images) != 1 || !strings.HasSuffix(d.Images[0], ":"+in.ChartVersion) {
						t.Errorf("after apply the API server's Deployment %s/%s runs %d replicas of %v, want %d of the image tagged %s",
							in.EnvNamespace, in.Name, d.Replicas, d.Images, want, in.ChartVersion)
					}
				}
			}
		})
	}

	driftKinds(t, tf, script, env, varsFile, out, services)

	t.Run("state_lock", func(t *testing.T) {
		serial := func() int {
			r := must(t, tf, []string{"state", "pull"})
			var s struct {
				Serial int `json:"serial"`
			}
			if err := json.Unmarshal([]byte(r.Stdout), &s); err != nil {
				t.Fatalf("state pull: %v", err)
			}
			return s.Serial
		}
		before := serial()

		// Hold the state's advisory lock from another session, as a running apply would.
		psql, err := exec.LookPath("psql")
		if err == nil {
			hold := exec.Command(psql, pg.ConnStr, "-v", "ON_ERROR_STOP=1", "-c",
				fmt.Sprintf("SELECT pg_advisory_lock(id) FROM %s.states WHERE name = 'default'; SELECT pg_sleep(6);", schema))
			if err := hold.Start(); err != nil {
				t.Fatal(err)
			}
			time.Sleep(1500 * time.Millisecond)
			r := must(t, tf, []string{"apply", "-auto-approve", "-no-color", "-lock-timeout=0s"}, 1)
			if !strings.Contains(r.Stderr+r.Stdout, "lock") {
				t.Errorf("an apply without waiting failed, but not on the lock:\n%s", r)
			}
			start := time.Now()
			must(t, tf, []string{"apply", "-auto-approve", "-no-color", "-lock-timeout=2m"})
			if err := hold.Wait(); err != nil {
				t.Errorf("psql holding the lock: %v", err)
			}
			t.Logf("the waiting apply finished after %s", time.Since(start).Round(time.Millisecond))
		} else {
			t.Log("psql not found: skipping the held-lock part")
		}

		// Two applies at once, with a change to make: each waits for the other.
		if _, err := gc.PutAppConfig(ctx, out.Services[a.Name].AppID, out.ProjectEnvs["staging"], "replicaCount: 9\n"); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		results := make([]*tfcli.Result, 2)
		for i := range results {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r, err := tf.Run(context.Background(), "apply", "-auto-approve", "-no-color", "-lock-timeout=3m")
				if err != nil {
					t.Error(err)
				}
				results[i] = r
			}()
		}
		wg.Wait()
		for _, r := range results {
			if r != nil && r.ExitCode != 0 && !strings.Contains(r.Stderr, "lock") {
				t.Errorf("a concurrent apply failed, not on the lock:\n%s", r)
			}
		}
		if after := serial(); after < before {
			t.Errorf("state serial went back from %d to %d", before, after)
		}
		if code, _, text := runDriftCheck(t, tf, script); code != 0 {
			t.Fatalf("after the concurrent applies: want exit 0, got %d\n%s", code, text)
		}
	})

	must(t, tf, []string{"destroy", "-auto-approve", "-no-color"})
	applied = false
	if r := must(t, tf, []string{"state", "list"}); r.Stdout != "" {
		t.Fatalf("state after destroy:\n%s", r.Stdout)
	}
}

// testWriter sends the launcher's messages to the test log.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}
