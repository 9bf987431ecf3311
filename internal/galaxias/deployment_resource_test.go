package galaxias_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/acctest"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/galaxiasapi"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/refserver"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/refserver/refservertest"
)

// world is an app ready to deploy: project, cluster, env, project-env, app,
// its values, and chart versions in the chart repository — made through
// the API.
type world struct {
	api      *client.Client
	token    func() string // the token api sends now
	app      *client.App
	pe       *client.ProjectEnv
	env      *client.Env
	versions []string
	url      string // of a server of the test's own; empty: the stack's
}

func must[T any](t *testing.T) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func newWorld(t *testing.T, r records, values string, versions ...string) *world {
	t.Helper()
	d := r.deployable(acctest.Name("svc"), values, versions...)
	return &world{api: r.api, token: r.token, app: d.app, pe: d.pe, env: d.env, versions: versions}
}

func (w *world) config(provider, version, extra string) string {
	return fmt.Sprintf(`%s
resource "galaxias_deployment" "d" {
  app_id                 = %d
  project_environment_id = %d
  chart_version          = %q
%s
}`, provider, w.app.ID, w.pe.ID, version, extra)
}

// running returns the chart version of the instance of the app in the env.
func (w *world) running(t *testing.T) string {
	t.Helper()
	in := must[*client.Instance](t)(w.api.FindInstance(context.Background(), w.app.ID, w.env.ID, w.app.Name))
	if in == nil {
		return ""
	}
	return in.ChartVersion
}

func (w *world) deployments(t *testing.T) int {
	t.Helper()
	return len(must[[]client.Deployment](t)(w.api.ListDeployments(context.Background(), client.DeploymentFilter{AppID: w.app.ID})))
}

func (w *world) expect(t *testing.T, version string, deployments int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := w.running(t); got != version {
			return fmt.Errorf("running version %q, want %q", got, version)
		}
		if n := w.deployments(t); n != deployments {
			return fmt.Errorf("%d deployment records, want %d", n, deployments)
		}
		return nil
	}
}

func TestAccDeployment_lifecycle(t *testing.T) {
	w := newWorld(t, stackRecords(t), "replicaCount: 2\n", "1.0.0-master-aaaaaa", "1.0.1-master-bbbbbb")
	v1, v2 := w.versions[0], w.versions[1]
	addr := "galaxias_deployment.d"
	release := w.app.Name + "-" + w.env.Namespace
	var firstID int64

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if got := w.running(t); got != "" {
				return fmt.Errorf("uninstall_on_destroy defaults to true, yet %s still runs", got)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: w.config("", v1, ""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("status"), knownvalue.StringExact("success")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("chart_name"), knownvalue.StringExact(w.app.Name)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("name"), knownvalue.StringExact(release)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("namespace"), knownvalue.StringExact(w.env.Namespace)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("env_id"), knownvalue.Int64Exact(w.env.ID)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("deployed_at"), knownvalue.NotNull()),
				},
				Check: resource.ComposeTestCheckFunc(w.expect(t, v1, 1), func(s *terraform.State) error {
					firstID = stateID(s, addr)
					return nil
				}),
			},
			{ // a new version is a new deployment
				Config: w.config("", v2, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectUnknownValue(addr, tfjsonpath.New("id")),
				}},
				Check: resource.ComposeTestCheckFunc(w.expect(t, v2, 2), func(s *terraform.State) error {
					if stateID(s, addr) == firstID {
						return fmt.Errorf("id did not change to the new deployment")
					}
					return nil
				}),
			},
			{ // the description alone updates the record in place
				Config: w.config("", v2, `  description = "release notes"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("status"), knownvalue.StringExact("success")),
				}},
				Check: resource.ComposeTestCheckFunc(w.expect(t, v2, 2), func(s *terraform.State) error {
					d, err := w.api.GetDeployment(context.Background(), stateID(s, addr))
					if err != nil || d.Description != "release notes" {
						return fmt.Errorf("description not updated: %+v %v", d, err)
					}
					return nil
				}),
			},
			{ResourceName: addr, ImportState: true, ImportStateVerify: true},
			{ // someone deploys another version by hand: the plan takes it back
				PreConfig: func() {
					must[*client.Deployment](t)(galaxiasapi.Deploy(context.Background(), w.api, client.DeploymentInput{
						AppID: w.app.ID, ProjectEnvID: w.pe.ID, ChartName: w.app.Name, ChartVersion: v1,
					}))
				},
				Config: w.config("", v2, `  description = "release notes"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("chart_version"), knownvalue.StringExact(v2)),
				}},
				Check: w.expect(t, v2, 4),
			},
			{ // the release is removed by hand: the plan deploys again
				PreConfig: func() {
					in := must[*client.Instance](t)(w.api.FindInstance(context.Background(), w.app.ID, w.env.ID, w.app.Name))
					if in == nil {
						t.Fatal("no release to remove")
					}
					if err := w.api.DeleteInstance(context.Background(), in.ID); err != nil {
						t.Fatal(err)
					}
				},
				Config: w.config("", v2, `  description = "release notes"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
				}},
				Check: w.expect(t, v2, 5),
			},
			{ // the release goes on destroy: the default
				Config: w.config("", v2, `  description = "release notes"`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("uninstall_on_destroy"), knownvalue.Bool(true)),
				},
				Check: w.expect(t, v2, 5),
			},
		},
	})
}

// uninstall_on_destroy = false: destroy only forgets the deployment.
func TestAccDeployment_destroyForgets(t *testing.T) {
	w := newWorld(t, stackRecords(t), "replicaCount: 1\n", "2.0.0-master-cccccc")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if got := w.running(t); got != w.versions[0] {
				return fmt.Errorf("the release must keep running after destroy, got %q", got)
			}
			return nil
		},
		Steps: []resource.TestStep{{Config: w.config("", w.versions[0], "  uninstall_on_destroy = false"), Check: w.expect(t, w.versions[0], 1)}},
	})
}

// A chart whose values break its template: Helm's message in the error,
// no release, and the next apply with fixed values succeeds. The contract
// records nothing for a failed deployment; the re-implementation writes the
// deployment row before Helm runs, so there the failure leaves one row —
// which the provider never takes for its own.
func TestAccDeployment_renderFailure(t *testing.T) {
	r := stackRecords(t)
	w := newWorld(t, r, "replicaCount: null\n", "1.2.3-master-dddddd")
	failedRows := 0
	if acctest.IsRock(t) {
		failedRows = 1
	}
	addr := "galaxias_deployment.d"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      w.config("", w.versions[0], ""),
				ExpectError: regexp.MustCompile(`replicaCount\s+is\s+required`), // Terraform wraps the message
				Check:       w.expect(t, "", failedRows),
			},
			{
				PreConfig: func() {
					must[*client.AppConfig](t)(w.api.PutAppConfig(context.Background(), w.app.ID, w.pe.ID, "replicaCount: 3\n"))
					if n := w.deployments(t); n != failedRows {
						t.Fatalf("a failed render left %d deployment records, want %d", n, failedRows)
					}
				},
				Config: w.config("", w.versions[0], ""),
				Check: resource.ComposeTestCheckFunc(w.expect(t, w.versions[0], failedRows+1), func(s *terraform.State) error {
					in := must[*client.Instance](t)(w.api.FindInstance(context.Background(), w.app.ID, w.env.ID, w.app.Name))
					if id := stateID(s, addr); in == nil || in.LastDeployment != id {
						return fmt.Errorf("state has deployment %d, the release's last deployment is %+v", id, in)
					}
					return nil
				}),
			},
		},
	})
}

// asyncWorld runs its own reference server in asynchronous mode, so that
// switching modes never disturbs other tests on the shared stack. The
// asynchronous mode and fault injection exist only in the contract dialect
// (the re-implementation deploys synchronously), so these tests run in the
// contract run of make testacc only.
func asyncWorld(t *testing.T, duration time.Duration, values string, faults ...refserver.Fault) (*world, string) {
	t.Helper()
	acctest.SkipUnlessAcc(t)
	acctest.SkipOnRock(t, "asynchronous deployments and injected faults exist only in the contract dialect "+
		"(this test starts its own contract server, and ran in the contract run)")
	srv := refservertest.Start(t, refserver.Options{Async: true, AsyncDuration: duration, Faults: faults})
	hc, spy := galaxiasapi.Spy(nil)
	api, err := client.New(client.Options{BaseURL: srv.URL, Username: refservertest.AdminName, Password: refservertest.AdminPassword,
		PollInterval: 50 * time.Millisecond, HTTPClient: hc})
	if err != nil {
		t.Fatal(err)
	}
	r := records{t: t, api: api, token: spy.Token, ctx: context.Background(),
		kubeconfig: func(string) string { return srv.Kubeconfig },
		push: func(name, version string) {
			if err := srv.Server.ChartRepo().Upload(context.Background(), refserver.TestChart(name, version)); err != nil {
				t.Fatal(err)
			}
		}}
	w := newWorld(t, r, values, "3.0.0-master-eeeeee", "3.0.1-master-ffffff")
	w.url = srv.URL
	provider := fmt.Sprintf(`provider "galaxias" {
  endpoint = %q
  username = %q
  password = %q
}`, srv.URL, refservertest.AdminName, refservertest.AdminPassword)
	return w, provider
}

func TestAccDeployment_async(t *testing.T) {
	w, provider := asyncWorld(t, 2*time.Second, "replicaCount: 1\n")
	addr := "galaxias_deployment.d"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{ // waits for success
				Config: w.config(provider, w.versions[0], ""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("status"), knownvalue.StringExact("success")),
				},
				Check: w.expect(t, w.versions[0], 1),
			},
			{ // wait = false: recorded as pending; while it runs, the old
				// version still running is not drift (the plan after apply is empty)
				Config: w.config(provider, w.versions[1], "  wait = false"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("status"), knownvalue.StringRegexp(regexp.MustCompile(`^(pending|running)$`))),
				},
				Check: func(*terraform.State) error {
					if got := w.running(t); got != w.versions[0] {
						return fmt.Errorf("with wait = false the apply should return before %s runs; running %q", w.versions[1], got)
					}
					return nil
				},
			},
			{ // once finished, refresh follows it to success
				PreConfig: func() { time.Sleep(3 * time.Second) },
				Config:    w.config(provider, w.versions[1], "  wait = false"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("status"), knownvalue.StringExact("success")),
				},
				Check: w.expect(t, w.versions[1], 2),
			},
		},
	})
}

func TestAccDeployment_asyncFailureTaints(t *testing.T) {
	w, provider := asyncWorld(t, 200*time.Millisecond, "replicaCount: null\n")
	addr := "galaxias_deployment.d"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      w.config(provider, w.versions[0], ""),
				ExpectError: regexp.MustCompile(`(?s)failed.*replicaCount\s+is\s+required`),
			},
			{ // recorded and tainted: the fixed apply replaces it
				PreConfig: func() {
					must[*client.AppConfig](t)(w.api.PutAppConfig(context.Background(), w.app.ID, w.pe.ID, "replicaCount: 1\n"))
				},
				Config: w.config(provider, w.versions[0], ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				Check: w.expect(t, w.versions[0], 2),
			},
		},
	})
}

func TestAccDeployment_asyncTimeoutTaints(t *testing.T) {
	w, provider := asyncWorld(t, 4*time.Second, "replicaCount: 1\n")
	addr := "galaxias_deployment.d"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      w.config(provider, w.versions[0], `  timeouts = { create = "1s" }`),
				ExpectError: regexp.MustCompile(`(?s)timed out after 1s`),
			},
			{
				PreConfig: func() { time.Sleep(4 * time.Second) },
				Config:    w.config(provider, w.versions[0], `  timeouts = { create = "30s" }`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				Check: w.expect(t, w.versions[0], 2),
			},
		},
	})
}

// The POST's connection drops after the server recorded the deployment: the
// provider finds it and never posts twice.
func TestAccDeployment_noDuplicateAfterLostResponse(t *testing.T) {
	fault, err := refserver.ParseFault("route=POST /v1/deployments,kind=drop-after,rate=1,limit=1")
	if err != nil {
		t.Fatal(err)
	}
	w, provider := asyncWorld(t, 100*time.Millisecond, "replicaCount: 1\n", fault)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: w.config(provider, w.versions[0], ""),
			Check: func(s *terraform.State) error {
				if err := w.expect(t, w.versions[0], 1)(s); err != nil {
					return err
				}
				t.Logf("deployments recorded after a dropped POST response: %d", w.deployments(t))
				return nil
			},
		}},
	})
}

func TestDeployment_validation(t *testing.T) {
	cases := map[string]struct{ body, want string }{
		"not semver":     {`chart_version = "1.0"`, `chart_version`},
		"underscore":     {`chart_version = "1.0.0-feature_x-abcdef"`, `chart_version`},
		"leading v":      {`chart_version = "v1.0.0"`, `chart_version`},
		"zero app":       {`chart_version = "1.0.0"` + "\n" + `app_id = 0`, `app_id`},
		"bad chart name": {`chart_version = "1.0.0"` + "\n" + `chart_name = "no spaces"`, `chart_name`},
		"bad timeout":    {`chart_version = "1.0.0"` + "\n" + `timeouts = { create = "soon" }`, `(?s)Time Duration.*"soon"`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			body := tc.body
			if !strings.Contains(body, "app_id") {
				body += "\napp_id = 1"
			}
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      "resource \"galaxias_deployment\" \"d\" {\nproject_environment_id = 1\n" + body + "\n}",
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(tc.want),
				}},
			})
		})
	}
}
