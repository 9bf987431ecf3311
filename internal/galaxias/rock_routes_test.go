package galaxias_test

// One test per row of the route table of the re-implementation's reference
// page (/work/shared/reference/galaxias-reimplementation.md, "Routes that
// differ from the project's contract"; docs/galaxias-api.md section 11):
// what the provider does against a server that answers that way. Each
// starts its own reference server in the rock dialect, so that it can
// count what the server did (the fake Kubernetes API's calls) and holds
// only its own records; they run in the rock run of make testacc
// (GALAXIAS_DIALECT=rock).

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/httpx"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/acctest"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/galaxiasapi"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/refserver"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/refserver/refservertest"
)

// rockServer is a reference server of the rock dialect for one test.
type rockServer struct {
	srv *refservertest.Started
	// r makes records through the API as the bootstrap admin.
	r records
	// provider is a provider block that logs in as a second admin, so that
	// the provider's logins never replace the test client's token.
	provider string
}

func startRock(t *testing.T) *rockServer {
	t.Helper()
	acctest.SkipUnlessAcc(t)
	if os.Getenv("GALAXIAS_DIALECT") != acctest.DialectRock {
		t.Skip("a route of the re-implementation: runs in the rock run of make testacc (GALAXIAS_DIALECT=rock), " +
			"against its own rock-dialect server")
	}
	srv := refservertest.Start(t, refserver.Options{Dialect: refserver.DialectRock, TokenExpire: time.Hour})
	hc, err := httpx.New(httpx.Options{Subsystem: "acctest", MaxRetries: 2, Permanent: client.PermanentAnswer})
	if err != nil {
		t.Fatal(err)
	}
	hc, spy := galaxiasapi.Spy(hc)
	api, err := client.New(client.Options{BaseURL: srv.URL, Username: refservertest.AdminName,
		Password: refservertest.AdminPassword, HTTPClient: hc})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	const tfName, tfPassword = "tfadmin", "Tf-admin-pw1"
	must[*client.User](t)(api.CreateUser(ctx, client.UserInput{Name: tfName, Password: tfPassword,
		Email: "tfadmin@example.com", Role: client.RoleAdmin}))
	rs := &rockServer{srv: srv,
		r: records{t: t, api: api, token: spy.Token, ctx: ctx,
			kubeconfig: func(marker string) string { return srv.Kubeconfig + "# " + marker + "\n" },
			push: func(name, version string) {
				if err := srv.Server.ChartRepo().Upload(ctx, refserver.TestChart(name, version)); err != nil {
					t.Fatal(err)
				}
			}},
		provider: fmt.Sprintf("provider \"galaxias\" {\n  endpoint = %q\n  username = %q\n  password = %q\n}\n",
			srv.URL, tfName, tfPassword),
	}
	return rs
}

// Row: GET /v1/apps also requires id = the project id. The app data source
// finds an app by project and name (and not the same name in another
// project).
func TestAccRockRoute_appsListNeedsProject(t *testing.T) {
	rs := startRock(t)
	p, p2 := rs.r.project("p1", ""), rs.r.project("p2", "")
	a := rs.r.app(client.AppInput{ProjectID: p.ID, Name: "web", Description: "mine"})
	rs.r.app(client.AppInput{ProjectID: p2.ID, Name: "web", Description: "other project"})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: rs.provider + fmt.Sprintf("data \"galaxias_app\" \"a\" {\n  project_id = %d\n  name = \"web\"\n}", p.ID),
			ConfigStateChecks: []statecheck.StateCheck{
				dsCheck("galaxias_app.a", "id", knownvalue.Int64Exact(a.ID)),
				dsCheck("galaxias_app.a", "description", knownvalue.StringExact("mine")),
			},
		}},
	})
}

// Row: GET /v1/project-envs and GET /v1/project-envs/{id} do not exist. A
// project environment is read through its project, imported as
// <project_id>/<id> or by the bare id (the provider searches every
// project), its plan after apply is empty, and destroy removes it.
func TestAccRockRoute_projectEnvsByIDMissing(t *testing.T) {
	rs := startRock(t)
	cl := rs.r.cluster("c")
	env := rs.r.env(cl.ID, "ns", "")
	rs.r.project("another", "") // a project to search through first
	addr := "galaxias_project_environment.pe"
	var projectID, id int64
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if _, err := rs.r.api.GetProjectEnv(rs.r.ctx, projectID, id); !client.IsNotFound(err) {
				return fmt.Errorf("project-env %d: want 404 after destroy, got %v", id, err)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: rs.provider + fmt.Sprintf(`
resource "galaxias_project" "p" {
  name = "p"
}
resource "galaxias_project_environment" "pe" {
  project_id     = galaxias_project.p.id
  environment_id = %d
  description    = "d"
}`, env.ID),
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check: func(s *terraform.State) error {
					projectID, id = stateID(s, "galaxias_project.p"), stateID(s, addr)
					return nil
				},
			},
			{ResourceName: addr, ImportState: true, ImportStateVerify: true, ImportStateIdFunc: func(s *terraform.State) (string, error) {
				return fmt.Sprintf("%d/%d", projectID, id), nil
			}},
			{ResourceName: addr, ImportState: true, ImportStateVerify: true},
		},
	})
}

// Row: POST /v1/projects/{id}/project-envs requires name. Without a name in
// the configuration the provider sends "<cluster name>-<namespace>".
func TestAccRockRoute_projectEnvNameRequired(t *testing.T) {
	rs := startRock(t)
	p := rs.r.project("p", "")
	cl := rs.r.cluster("c1")
	env := rs.r.env(cl.ID, "team", "")
	addr := "galaxias_project_environment.pe"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: rs.provider + fmt.Sprintf(`
resource "galaxias_project_environment" "pe" {
  project_id     = %d
  environment_id = %d
}`, p.ID, env.ID),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectUnknownValue(addr, tfjsonpath.New("name"))},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("name"), knownvalue.StringExact("c1-team")),
			},
			Check: func(s *terraform.State) error {
				pe, err := rs.r.api.GetProjectEnv(rs.r.ctx, p.ID, stateID(s, addr))
				if err != nil || pe.Name != "c1-team" {
					return fmt.Errorf("server has %+v, %v; want the name c1-team", pe, err)
				}
				return nil
			},
		}},
	})
}

// Row: GET/PUT/DELETE /v1/projects/{id}/project-envs/{pe} ignore the
// project of the path. The provider does not: a project environment
// imported under another project is not found, and nothing is changed.
func TestAccRockRoute_projectEnvPathProject(t *testing.T) {
	rs := startRock(t)
	p, other := rs.r.project("p", ""), rs.r.project("other", "")
	cl := rs.r.cluster("c")
	pe := rs.r.projectEnv(p.ID, rs.r.env(cl.ID, "ns", "").ID, "pe", "kept")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{ // a plan-only configuration holding the resource to import into
				Config: rs.provider + fmt.Sprintf(`
import {
  to = galaxias_project_environment.pe
  id = "%d/%d"
}
resource "galaxias_project_environment" "pe" {
  project_id     = %d
  environment_id = %d
  description    = "changed"
}`, other.ID, pe.ID, other.ID, pe.EnvID),
				ExpectError: rtWords("Cannot import non-existent remote object"),
			},
		},
	})
	got := must[*client.ProjectEnv](t)(rs.r.api.GetProjectEnv(rs.r.ctx, p.ID, pe.ID))
	if got.Description != "kept" || got.ProjectID != p.ID {
		t.Errorf("project-env after the refused import: %+v", got)
	}
}

// Row: PUT /v1/projects/{id} and PUT /v1/clusters/{id} ignore name. A new
// name is an error at plan time that names the attribute and the server,
// nothing is sent, and the description still updates in place. A new name
// known only at apply (from another resource) is an error of the apply
// that says the server kept the name, never an inconsistent result: the
// server and the state keep the old name.
func TestAccRockRoute_renamesIgnored(t *testing.T) {
	rs := startRock(t)
	kc := rs.r.kubeconfig("rename")
	var pid, cid int64
	// cfgExpr takes the names as expressions; later is the input of a
	// terraform_data whose output they may use (unknown at plan when the
	// input changes).
	cfgExpr := func(project, cluster, desc, later string) string {
		return rs.provider + fmt.Sprintf(`
resource "terraform_data" "later" {
  input = %q
}
resource "galaxias_project" "p" {
  name        = %s
  description = %q
}
resource "galaxias_cluster" "c" {
  name        = %s
  description = %q
  config      = %q
}`, later, project, desc, cluster, desc, kc)
	}
	cfg := func(project, cluster, desc string) string {
		return cfgExpr(strconv.Quote(project), strconv.Quote(cluster), desc, "")
	}
	// keptOld checks, before an import that compares the server's record
	// with the state, that the failed apply left the old names in both.
	keptOld := func(addr string) resource.ImportStateIdFunc {
		return func(s *terraform.State) (string, error) {
			p := must[*client.Project](t)(rs.r.api.GetProject(rs.r.ctx, pid))
			c := must[*client.Cluster](t)(rs.r.api.GetCluster(rs.r.ctx, cid))
			if p.Name != "p" || c.Name != "c" {
				return "", fmt.Errorf("server has project %+v, cluster %+v after the refused rename", p, c)
			}
			if got := s.RootModule().Resources[addr].Primary.Attributes["name"]; got != map[string]string{
				"galaxias_project.p": "p", "galaxias_cluster.c": "c"}[addr] {
				return "", fmt.Errorf("%s: the state has the name %q after the refused rename", addr, got)
			}
			return fmt.Sprint(stateID(s, addr)), nil
		}
	}
	names := func(project, cluster, desc string) resource.TestCheckFunc {
		return func(*terraform.State) error {
			p := must[*client.Project](t)(rs.r.api.GetProject(rs.r.ctx, pid))
			c := must[*client.Cluster](t)(rs.r.api.GetCluster(rs.r.ctx, cid))
			if p.Name != project || c.Name != cluster || p.Description != desc || c.Description != desc {
				return fmt.Errorf("server has project %+v, cluster %+v", p, c)
			}
			return nil
		}
	}
	forget := false
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: forgetServer(&forget),
		Steps: []resource.TestStep{
			{Config: cfg("p", "c", "one"), Check: func(s *terraform.State) error {
				pid, cid = stateID(s, "galaxias_project.p"), stateID(s, "galaxias_cluster.c")
				return nil
			}},
			{Config: cfg("p-renamed", "c", "one"), ExpectError: rtWords("This Galaxias server cannot change name",
				"`PUT /v1/projects/{id}` ignores `name`", `from "p" to "p-renamed"`)},
			{Config: cfg("p", "c-renamed", "one"), ExpectError: rtWords("This Galaxias server cannot change name",
				"`PUT /v1/clusters/{id}` ignores `name`", `from "c" to "c-renamed"`)},
			// A name known only at apply: Terraform plans again with it
			// during the apply, and that plan refuses it.
			{Config: cfgExpr("terraform_data.later.output", `"c"`, "one", "p-later"), ExpectError: rtWords(
				"This Galaxias server cannot change name", "`PUT /v1/projects/{id}` ignores `name`", `from "p" to "p-later"`)},
			{ResourceName: "galaxias_project.p", ImportState: true, ImportStateVerify: true,
				ImportStateIdFunc: keptOld("galaxias_project.p")},
			// A state that does not record the server (the plan cannot tell
			// that renames are ignored): the update is sent, its answer keeps
			// the old name, and the apply fails saying so.
			{PreConfig: func() { forget = true },
				Config: cfgExpr("terraform_data.later.output", `"c"`, "one", "p-later-still"), ExpectError: rtWords(
					"Failed to update galaxias_project", "Galaxias accepted the update but kept `name` as \"p\" instead of \"p-later-still\":",
					"this server cannot change it.", "Set `name` back to the project's current name.")},
			{ResourceName: "galaxias_project.p", ImportState: true, ImportStateVerify: true,
				ImportStateIdFunc: keptOld("galaxias_project.p")},
			{Config: cfgExpr(`"p"`, "terraform_data.later.output", "one", "c-later"), ExpectError: rtWords(
				"Failed to update galaxias_cluster", "Galaxias accepted the update but kept `name` as \"c\" instead of \"c-later\":",
				"this server cannot change it.")},
			{ResourceName: "galaxias_cluster.c", ImportState: true, ImportStateVerify: true,
				ImportStateVerifyIgnore: []string{"config"}, ImportStateIdFunc: keptOld("galaxias_cluster.c")},
			{
				PreConfig: func() { forget = false },
				Config:    cfg("p", "c", "two"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("galaxias_project.p", plancheck.ResourceActionUpdate),
						plancheck.ExpectResourceAction("galaxias_cluster.c", plancheck.ResourceActionUpdate),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: names("p", "c", "two"),
			},
		},
	})
}

// Row: clusters — answers never include config; config is required on POST
// and PUT and checked against the cluster's API server. State keeps what
// was configured (no perpetual diff), every update sends the kubeconfig (the
// server calls the API server again), and an import is completed by one
// update that sends it.
func TestAccRockRoute_clusterConfig(t *testing.T) {
	rs := startRock(t)
	addr := "galaxias_cluster.c"
	kc := rs.r.kubeconfig("wo")
	cfg := func(desc string) string {
		return rs.provider + fmt.Sprintf(`
resource "galaxias_cluster" "c" {
  name              = "c"
  description       = %q
  config_wo         = %q
  config_wo_version = 1
}`, desc, kc)
	}
	var calls, cid int64
	countCalls := func() { calls = rs.srv.Kube.NodeListings() }
	called := func(*terraform.State) error {
		if n := rs.srv.Kube.NodeListings(); n <= calls {
			return fmt.Errorf("the server did not call the cluster's API server (%d calls before, %d after): no kubeconfig was sent", calls, n)
		}
		return nil
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		Steps: []resource.TestStep{
			{
				PreConfig: countCalls,
				Config:    cfg("one"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeTestCheckFunc(called, rtStateLacks(addr, "# wo"),
					func(s *terraform.State) error { cid = stateID(s, addr); return nil }),
			},
			{ // the description alone: the kubeconfig goes with it
				PreConfig: countCalls,
				Config:    cfg("two"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: called,
			},
			{ // with `config`: state keeps the configured text, no diff
				Config: rs.provider + fmt.Sprintf(`
resource "galaxias_cluster" "c" {
  name        = "c"
  description = "two"
  config      = %q
}`, kc),
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("config"), knownvalue.StringExact(kc)),
				},
			},
			{ // let go of it (it stays on the server), to import it again
				Config: rs.provider + "removed {\n  from = galaxias_cluster.c\n  lifecycle {\n    destroy = false\n  }\n}",
				Check: func(*terraform.State) error {
					_, err := rs.r.api.GetCluster(rs.r.ctx, cid)
					return err
				},
			},
			{
				Config: cfg("two"), ResourceName: addr, ImportState: true, ImportStatePersist: true,
				ImportStateIdFunc: func(*terraform.State) (string, error) { return fmt.Sprint(cid), nil },
			},
			{ // after the import, the kubeconfig is supplied once, by an update in place
				PreConfig: countCalls,
				Config:    cfg("two"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(addr, tfjsonpath.New("config_wo_version"), knownvalue.Int64Exact(1)),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: called,
			},
		},
	})
}

// forgetServer serves the providers, with no private state in the galaxias
// provider's answers while *forget is true: the state then does not record
// which server a resource lives on, as a state written before the provider
// recorded it.
func forgetServer(forget *bool) map[string]func() (tfprotov6.ProviderServer, error) {
	f := map[string]func() (tfprotov6.ProviderServer, error){}
	for name, factory := range acctest.ProviderFactories {
		f[name] = factory
	}
	f["galaxias"] = func() (tfprotov6.ProviderServer, error) {
		ps, err := acctest.ProviderFactories["galaxias"]()
		return noPrivate{ps, forget}, err
	}
	return f
}

type noPrivate struct {
	tfprotov6.ProviderServer
	forget *bool
}

func (n noPrivate) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	resp, err := n.ProviderServer.ReadResource(ctx, req)
	if resp != nil && *n.forget {
		resp.Private = nil
	}
	return resp, err
}

func (n noPrivate) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	resp, err := n.ProviderServer.PlanResourceChange(ctx, req)
	if resp != nil && *n.forget {
		resp.PlannedPrivate = nil
	}
	return resp, err
}

func (n noPrivate) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	resp, err := n.ProviderServer.ApplyResourceChange(ctx, req)
	if resp != nil && *n.forget {
		resp.Private = nil
	}
	return resp, err
}

// Row: PUT /v1/apps/{id} changes only description, and its answer lacks
// project_id. The description updates in place with project_id kept; a new
// git_project_id is an error at plan time.
func TestAccRockRoute_appUpdate(t *testing.T) {
	rs := startRock(t)
	p := rs.r.project("p", "")
	addr := "galaxias_app.a"
	cfg := func(attrs string) string {
		return rs.provider + fmt.Sprintf(`
resource "galaxias_app" "a" {
  project_id = %d
  name       = "web"
  %s
}`, p.ID, attrs)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg(`description = "one"`)},
			{
				Config: cfg(`description = "two"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("project_id"), knownvalue.Int64Exact(p.ID)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("description"), knownvalue.StringExact("two")),
				},
			},
			{Config: cfg("description = \"two\"\n  git_project_id = 5"), ExpectError: rtWords(
				"This Galaxias server cannot change git_project_id", "`PUT /v1/apps/{id}` changes only `description`")},
		},
	})
}

// Row: DELETE /v1/apps/{id}/config?pe_id= deletes every app config. The
// provider never calls it there: destroying one app config leaves every
// other app's and environment's config as it was.
func TestAccRockRoute_appConfigDeleteSafe(t *testing.T) {
	rs := startRock(t)
	p := rs.r.project("p", "")
	cl := rs.r.cluster("c")
	pe1 := rs.r.projectEnv(p.ID, rs.r.env(cl.ID, "one", "").ID, "", "")
	pe2 := rs.r.projectEnv(p.ID, rs.r.env(cl.ID, "two", "").ID, "", "")
	ours, other := rs.r.app(client.AppInput{ProjectID: p.ID, Name: "ours"}), rs.r.app(client.AppInput{ProjectID: p.ID, Name: "other"})
	kept := map[[2]int64]string{{other.ID, pe1.ID}: "a: 1\n", {other.ID, pe2.ID}: "b: 2\n", {ours.ID, pe2.ID}: "c: 3\n"}
	for k, v := range kept {
		rs.r.config(k[0], k[1], v)
	}
	untouched := func(*terraform.State) error {
		for k, v := range kept {
			c, err := rs.r.api.GetAppConfig(rs.r.ctx, k[0], k[1])
			if err != nil || c.Config != v {
				return fmt.Errorf("config of app %d for project-env %d: %+v, %v; want %q", k[0], k[1], c, err, v)
			}
		}
		return nil
	}
	appID, peID := ours.ID, pe1.ID
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{Config: rs.provider + fmt.Sprintf(`
resource "galaxias_app_config" "v" {
  app_id                 = %d
  project_environment_id = %d
  values                 = "d: 4\n"
}`, ours.ID, pe1.ID), Check: untouched},
			{Config: rs.provider, Check: resource.ComposeTestCheckFunc(untouched, rtAppConfigGone(rs.r.api, &appID, &peID))},
		},
	})
}

// Row: users — role_id and role_name, a required email, create answered 200,
// no PUT /v1/users/{id}, password change {old_password, new_password}, role
// change {role_id}. galaxias_user keeps its interface: role by name, email;
// the token it gives works and is the user's.
func TestAccRockRoute_users(t *testing.T) {
	rs := startRock(t)
	addr := "galaxias_user.u"
	cfg := func(email, role string) string {
		return rs.provider + fmt.Sprintf(`
resource "galaxias_user" "u" {
  name                = "ci"
  email               = %q
  role                = %q
  password_wo         = "Deploy-pw-1"
  password_wo_version = 1
}`, email, role)
	}
	has := func(email, role string) resource.TestCheckFunc {
		return func(s *terraform.State) error {
			u, err := rs.r.api.GetUser(rs.r.ctx, stateID(s, addr))
			if err != nil || u.Email != email || u.Role != role || u.RoleID == 0 {
				return fmt.Errorf("server has %+v, %v; want email %q, role %q (by role_id)", u, err, email, role)
			}
			tok := s.RootModule().Resources[addr].Primary.Attributes["token"]
			c := must[*client.Client](t)(client.New(client.Options{BaseURL: rs.srv.URL, Token: tok}))
			if err := c.CheckAuth(rs.r.ctx); err != nil {
				return fmt.Errorf("the token in state does not work: %v", err)
			}
			return nil
		}
	}
	var lastID int64
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		// The server's delete answers 200 with a bare string: the user is gone.
		CheckDestroy: func(*terraform.State) error {
			if _, err := rs.r.api.GetUser(rs.r.ctx, lastID); !client.IsNotFound(err) {
				return fmt.Errorf("user %d after destroy: %v, want not found", lastID, err)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{Config: cfg("ci@example.com", "deployer"), Check: has("ci@example.com", "deployer"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("role"), knownvalue.StringExact("deployer")),
				}},
			{Config: cfg("ci@example.com", "developer"),
				Check: resource.ComposeTestCheckFunc(has("ci@example.com", "developer"), func(s *terraform.State) error {
					lastID = stateID(s, addr)
					return nil
				}),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				}},
			// No route changes an e-mail, and a deleted user's name is never
			// free again: a new e-mail is refused at plan time.
			{Config: cfg("ops@example.com", "developer"),
				ExpectError: rtWords("cannot change email of a user, nor replace the user")},
			{ResourceName: addr, ImportState: true, ImportStateVerify: true,
				ImportStateVerifyIgnore: []string{"token", "password_wo_version"}},
		},
	})
}

// Row: charts — no upload route; /v1/apps/{id}/charts answers a bare array
// of ChartMuseum entries. The chart versions data source reads it.
func TestAccRockRoute_chartVersions(t *testing.T) {
	rs := startRock(t)
	p := rs.r.project("p", "")
	a := rs.r.app(client.AppInput{ProjectID: p.ID, Name: "web"})
	for _, v := range []string{"1.0.0-master-aaaaaa", "1.1.0-master-bbbbbb", "1.0.5-dev-cccccc"} {
		rs.r.chart("web", v)
	}
	rs.r.chart("web-other", "9.0.0-master-dddddd")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: rs.provider + fmt.Sprintf("data \"galaxias_chart_versions\" \"m\" {\n  app_id = %d\n  branch = \"master\"\n}", a.ID),
			ConfigStateChecks: []statecheck.StateCheck{
				dsCheck("galaxias_chart_versions.m", "versions", knownvalue.ListExact([]knownvalue.Check{
					knownvalue.StringExact("1.0.0-master-aaaaaa"), knownvalue.StringExact("1.1.0-master-bbbbbb")})),
				dsCheck("galaxias_chart_versions.m", "latest", knownvalue.StringExact("1.1.0-master-bbbbbb")),
			},
		}},
	})
}

// rockDeployable is an app ready to deploy on a rock server, with the
// provider configuration of a deployment of it.
func rockDeployable(rs *rockServer, name, values string, versions ...string) (*deployable, func(version, extra string) string) {
	d := rs.r.deployable(name, values, versions...)
	return d, func(version, extra string) string {
		return rs.provider + fmt.Sprintf(`
resource "galaxias_deployment" "d" {
  app_id                 = %d
  project_environment_id = %d
  chart_version          = %q
%s
}`, d.app.ID, d.pe.ID, version, extra)
	}
}

// Row: POST /v1/deployments writes the deployment row before Helm runs, and
// a Helm failure answers 500 50000006. The error carries Helm's message,
// there is no release, and the fixed apply deploys once, recording its own
// deployment — not the failed row.
func TestAccRockRoute_deploymentHelmFailure(t *testing.T) {
	rs := startRock(t)
	d, cfg := rockDeployable(rs, "web", "replicaCount: null\n", "1.0.0-master-aaaaaa")
	addr := "galaxias_deployment.d"
	var failedRow int64
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg("1.0.0-master-aaaaaa", ""), ExpectError: rtWords("replicaCount is required", "50000006")},
			{
				PreConfig: func() {
					list := must[[]client.Deployment](t)(rs.r.api.ListDeployments(rs.r.ctx, client.DeploymentFilter{AppID: d.app.ID}))
					if len(list) != 1 {
						t.Fatalf("deployment rows after the failure: %+v; the re-implementation writes one", list)
					}
					failedRow = list[0].ID
					if in := must[*client.Instance](t)(rs.r.api.FindInstance(rs.r.ctx, d.app.ID, d.env.ID, "web")); in != nil {
						t.Fatalf("a failed deployment made a release: %+v", in)
					}
					rs.r.config(d.app.ID, d.pe.ID, "replicaCount: 1\n")
				},
				Config:           cfg("1.0.0-master-aaaaaa", ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("status"), knownvalue.StringExact("success")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("project_environment_id"), knownvalue.Int64Exact(d.pe.ID)),
				},
				Check: func(s *terraform.State) error {
					in := must[*client.Instance](t)(rs.r.api.FindInstance(rs.r.ctx, d.app.ID, d.env.ID, "web"))
					id := stateID(s, addr)
					if id == failedRow || in == nil || in.LastDeployment != id || in.ChartVersion != "1.0.0-master-aaaaaa" {
						return fmt.Errorf("state has deployment %d (the failed row is %d), the release is %+v", id, failedRow, in)
					}
					return nil
				},
			},
		},
	})
}

// Row: GET /v1/deployments ignores every filter; answers have no status and
// no project_env_id; PUT requires chart, version, app and project-env. With
// other apps' deployments on the server, the resource's state, import by
// id (which finds the project environment), import of the running release
// and an in-place description change all concern its own deployment.
func TestAccRockRoute_deploymentRecords(t *testing.T) {
	rs := startRock(t)
	d, cfg := rockDeployable(rs, "web", "replicaCount: 1\n", "1.0.0-master-aaaaaa")
	other, _ := rockDeployable(rs, "api", "replicaCount: 1\n", "2.0.0-master-bbbbbb")
	must[*client.Deployment](t)(galaxiasapi.Deploy(rs.r.ctx, rs.r.api, client.DeploymentInput{AppID: other.app.ID, ProjectEnvID: other.pe.ID,
		ChartName: "api", ChartVersion: "2.0.0-master-bbbbbb", Description: "declared in examples/quickstart"}))
	addr := "galaxias_deployment.d"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:           cfg("1.0.0-master-aaaaaa", `  description = "declared in examples/quickstart"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("status"), knownvalue.StringExact("success")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("env_id"), knownvalue.Int64Exact(d.env.ID)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("name"), knownvalue.StringExact("web-ns-web")),
				},
			},
			{ResourceName: addr, ImportState: true, ImportStateVerify: true},
			// The release that runs, by app_id/project_environment_id: the same
			// deployment (the description is not the import's to know).
			{ResourceName: addr, ImportState: true, ImportStateVerify: true,
				ImportStateVerifyIgnore: []string{"description", "config_revision", "values_revision"},
				ImportStateIdFunc: func(*terraform.State) (string, error) {
					return fmt.Sprintf("%d/%d", d.app.ID, d.pe.ID), nil
				}},
			{
				Config: cfg("1.0.0-master-aaaaaa", `  description = "notes"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: func(s *terraform.State) error {
					dep := must[*client.Deployment](t)(rs.r.api.GetDeployment(rs.r.ctx, stateID(s, addr)))
					if dep.Description != "notes" || dep.AppID != d.app.ID {
						return fmt.Errorf("deployment %+v", dep)
					}
					return nil
				},
			},
		},
	})
}

// Row: POST /v1/projects/{id}/project-envs binds one env to a project again
// under another name, and deployment records do not name their project-env.
// A deployment imported by its id then cannot tell which binding it went
// through: the error names the import that can, app_id/project_environment_id,
// and that import finds the deployment.
func TestAccRockRoute_deploymentImportEnvBoundTwice(t *testing.T) {
	rs := startRock(t)
	// Records first, so that the deployment, project, env and app ids in
	// the error differ (1, 2, 3, 4).
	spare := rs.r.project("spare", "")
	spareCl := rs.r.cluster("spare")
	rs.r.env(spareCl.ID, "spare-1", "")
	rs.r.env(spareCl.ID, "spare-2", "")
	for _, n := range []string{"a1", "a2", "a3"} {
		rs.r.app(client.AppInput{ProjectID: spare.ID, Name: n})
	}
	d, cfg := rockDeployable(rs, "web", "replicaCount: 1\n", "1.0.0-master-aaaaaa")
	twin := rs.r.projectEnv(d.project.ID, d.env.ID, "web-twin", "")
	if twin.ID == d.pe.ID || twin.EnvID != d.env.ID {
		t.Fatalf("second binding %+v of env %d; the first is %+v", twin, d.env.ID, d.pe)
	}
	dep := must[*client.Deployment](t)(galaxiasapi.Deploy(rs.r.ctx, rs.r.api, client.DeploymentInput{AppID: d.app.ID, ProjectEnvID: d.pe.ID,
		ChartName: "web", ChartVersion: "1.0.0-master-aaaaaa"}))
	if ids := map[int64]bool{dep.ID: true, d.project.ID: true, d.env.ID: true, d.app.ID: true}; len(ids) != 4 {
		t.Fatalf("ids not distinct: deployment %d, project %d, env %d, app %d", dep.ID, d.project.ID, d.env.ID, d.app.ID)
	}
	addr := "galaxias_deployment.d"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: cfg("1.0.0-master-aaaaaa", ""), ResourceName: addr, ImportState: true,
				ImportStateId: fmt.Sprint(dep.ID),
				ExpectError: rtWords("cannot tell the deployment's project environment",
					fmt.Sprintf("the record of deployment %d does not name its project environment, and project %d binds "+
						"environment %d 2 times: import the release that runs as %d/<project_environment_id> "+
						"(app_id/project_environment_id)", dep.ID, d.project.ID, d.env.ID, d.app.ID)),
			},
			{
				Config: cfg("1.0.0-master-aaaaaa", ""), ResourceName: addr, ImportState: true,
				ImportStateId: fmt.Sprintf("%d/%d", d.app.ID, d.pe.ID),
				ImportStateCheck: func(is []*terraform.InstanceState) error {
					want := map[string]string{"id": fmt.Sprint(dep.ID), "app_id": fmt.Sprint(d.app.ID),
						"project_environment_id": fmt.Sprint(d.pe.ID), "env_id": fmt.Sprint(d.env.ID),
						"chart_version": "1.0.0-master-aaaaaa", "status": "success"}
					if len(is) != 1 {
						return fmt.Errorf("imported %d instances", len(is))
					}
					for k, v := range want {
						if got := is[0].Attributes[k]; got != v {
							return fmt.Errorf("imported %s = %q, want %q (all: %v)", k, got, v, is[0].Attributes)
						}
					}
					return nil
				},
			},
		},
	})
}

// Row: GET /v1/instances ignores env_id and name; items lack app_id and
// env_id. Drift detection and uninstall see only this app's release in
// this environment: another app's release in the same namespace, and this
// app's release in another environment, neither show as drift nor go away.
func TestAccRockRoute_instancesAttributed(t *testing.T) {
	rs := startRock(t)
	d, cfg := rockDeployable(rs, "web", "replicaCount: 1\n", "1.0.0-master-aaaaaa", "1.0.1-master-bbbbbb")
	// Another app of the same project in the same environment.
	neighbour := rs.r.app(client.AppInput{ProjectID: d.project.ID, Name: "api"})
	rs.r.config(neighbour.ID, d.pe.ID, "replicaCount: 1\n")
	rs.r.chart("api", "3.0.0-master-cccccc")
	// The same app in a second environment.
	env2 := rs.r.env(d.cluster.ID, "ns-two", "")
	pe2 := rs.r.projectEnv(d.project.ID, env2.ID, "", "")
	rs.r.config(d.app.ID, pe2.ID, "replicaCount: 1\n")
	deploy := func(app int64, pe int64, chart, version string) {
		must[*client.Deployment](t)(galaxiasapi.Deploy(rs.r.ctx, rs.r.api, client.DeploymentInput{AppID: app, ProjectEnvID: pe,
			ChartName: chart, ChartVersion: version}))
	}
	running := func(app, env int64, chart string) string {
		in := must[*client.Instance](t)(rs.r.api.FindInstance(rs.r.ctx, app, env, chart))
		if in == nil {
			return ""
		}
		return in.ChartVersion
	}
	addr := "galaxias_deployment.d"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if got := running(d.app.ID, d.env.ID, "web"); got != "" {
				return fmt.Errorf("uninstall_on_destroy: %s still runs", got)
			}
			if got := running(neighbour.ID, d.env.ID, "api"); got != "3.0.0-master-cccccc" {
				return fmt.Errorf("the neighbour's release: %q", got)
			}
			if got := running(d.app.ID, env2.ID, "web"); got != "1.0.0-master-aaaaaa" {
				return fmt.Errorf("the app's release in the other environment: %q", got)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{Config: cfg("1.0.1-master-bbbbbb", "  uninstall_on_destroy = true")},
			{ // others deploy: not this resource's drift
				PreConfig: func() {
					deploy(neighbour.ID, d.pe.ID, "api", "3.0.0-master-cccccc")
					deploy(d.app.ID, pe2.ID, "web", "1.0.0-master-aaaaaa")
				},
				Config:           cfg("1.0.1-master-bbbbbb", "  uninstall_on_destroy = true"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{ // this app, this environment, another version: drift
				PreConfig: func() { deploy(d.app.ID, d.pe.ID, "web", "1.0.0-master-aaaaaa") },
				Config:    cfg("1.0.1-master-bbbbbb", "  uninstall_on_destroy = true"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("chart_version"), knownvalue.StringExact("1.0.1-master-bbbbbb")),
				}},
				Check: func(*terraform.State) error {
					if got := running(d.app.ID, d.env.ID, "web"); got != "1.0.1-master-bbbbbb" {
						return fmt.Errorf("running %q after the apply", got)
					}
					return nil
				},
			},
		},
	})
}
