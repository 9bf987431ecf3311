package client

import (
	"strings"
	"testing"
	"time"

	"github.com/galaxias/terraform-provider-galaxias/internal/httpx"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/refserver"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/refserver/refservertest"
)

// The whole client against the reference server's rock dialect, with the
// project's shared transport and retry rule, without any setting: what the
// fake of rock_test.go checks request by request, here end to end.
func TestReferenceRockDialect(t *testing.T) {
	srv := refservertest.Start(t, refserver.Options{Dialect: refserver.DialectRock, TokenExpire: time.Hour})
	hc, err := httpx.New(httpx.Options{MaxRetries: 3, WaitMin: time.Millisecond, WaitMax: 4 * time.Millisecond, Permanent: PermanentAnswer})
	check(t, err)
	x := ctx(t)
	c, err := New(Options{BaseURL: srv.URL, Username: refservertest.AdminName, Password: refservertest.AdminPassword, HTTPClient: hc})
	check(t, err)

	// configure: login (token from the cookie), the probe, the dialect
	check(t, c.CheckAuth(x))
	if fl, _ := c.DetectedDialect(); fl != DialectRock {
		t.Fatalf("dialect: %q", fl)
	}
	tok := mustClient(t, Options{BaseURL: srv.URL, Token: c.Token()})
	check(t, tok.CheckAuth(x))

	// the world: a name is sent for the project-env, the kubeconfig is sent
	// and never answered
	cl := must[*Cluster](t)(c.CreateCluster(x, ClusterInput{Name: "ref", Config: srv.Kubeconfig}))
	if cl.HasConfig {
		t.Fatalf("cluster answers carry no config: %+v", cl)
	}
	cl = must[*Cluster](t)(c.UpdateCluster(x, cl.ID, ClusterInput{Description: "d", Config: srv.Kubeconfig}))
	env := must[*Env](t)(c.CreateEnv(x, EnvInput{ClusterID: cl.ID, Namespace: "default"}))
	p := must[*Project](t)(c.CreateProject(x, ProjectInput{Name: "ref"}))
	if p.CreatedAt.Zoned || p.CreatedAt.IsZero() {
		t.Fatalf("the dialect's times have no offset: %+v", p.CreatedAt)
	}
	pe := must[*ProjectEnv](t)(c.CreateProjectEnv(x, p.ID, ProjectEnvInput{EnvID: env.ID}))
	if pe.Name != "ref-default" || pe.ProjectID != p.ID {
		t.Fatalf("project-env: %+v", pe)
	}
	if got := must[*ProjectEnv](t)(c.LookupProjectEnv(x, pe.ID)); got.ID != pe.ID || got.ProjectID != p.ID {
		t.Fatalf("lookup by id: %+v", got)
	}
	other := must[*Project](t)(c.CreateProject(x, ProjectInput{Name: "ref-other"}))
	if _, err := c.GetProjectEnv(x, other.ID, pe.ID); !IsNotFound(err) {
		t.Fatalf("a project-env under another project: %v", err)
	}
	if _, err := c.CreateProject(x, ProjectInput{Name: "ref"}); !IsDuplicate(err) || !IsConflict(err) {
		t.Fatalf("duplicate: %v", err)
	}
	app := must[*App](t)(c.CreateApp(x, AppInput{ProjectID: p.ID, Name: "svc"}))
	neighbour := must[*App](t)(c.CreateApp(x, AppInput{ProjectID: p.ID, Name: "neighbour"}))
	if l := must[[]App](t)(c.ListApps(x, "svc")); len(l) != 1 || l[0].ID != app.ID {
		t.Fatalf("apps: %+v", l)
	}
	app = must[*App](t)(c.UpdateApp(x, app.ID, AppInput{Description: "push"}))
	if app.ProjectID != p.ID || app.Description != "push" {
		t.Fatalf("app update: %+v", app)
	}

	// charts come from the chart repository
	for _, v := range []string{"1.0.0", "1.1.0"} {
		check(t, srv.ChartRepo().Upload(x, refserver.TestChart("svc", v)))
	}
	check(t, srv.ChartRepo().Upload(x, refserver.TestChart("neighbour", "2.0.0")))
	if l := must[[]Chart](t)(c.ListAppCharts(x, app.ID)); len(l) != 2 || l[0].ChartVersion == "" || l[0].Digest == "" {
		t.Fatalf("app charts: %+v", l)
	}
	if ch := must[*Chart](t)(c.GetChart(x, "svc", "1.1.0")); ch.ChartVersion != "1.1.0" {
		t.Fatalf("chart: %+v", ch)
	}

	// configs and deployments; a neighbour's config survives the removal
	must[*AppConfig](t)(c.PutAppConfig(x, app.ID, pe.ID, "replicaCount: 2\n"))
	must[*AppConfig](t)(c.PutAppConfig(x, neighbour.ID, pe.ID, "replicaCount: 5\n"))
	d := must[*Deployment](t)(c.Deploy(x, DeploymentInput{AppID: app.ID, ProjectEnvID: pe.ID, ChartName: "svc", ChartVersion: "1.0.0", Description: "first"}))
	nd := must[*Deployment](t)(c.Deploy(x, DeploymentInput{AppID: neighbour.ID, ProjectEnvID: pe.ID, ChartName: "neighbour", ChartVersion: "2.0.0"}))
	if d.Name != "svc-default" || d.ProjectEnvID != pe.ID {
		t.Fatalf("deployment: %+v", d)
	}
	inst := must[*Instance](t)(c.FindInstance(x, app.ID, env.ID, "svc"))
	if inst == nil || inst.LastDeployment != d.ID || inst.AppID != app.ID {
		t.Fatalf("instance: %+v", inst)
	}
	if n := must[*Instance](t)(c.FindInstance(x, neighbour.ID, env.ID, "")); n == nil || n.LastDeployment != nd.ID {
		t.Fatalf("the neighbour's instance: %+v", n)
	}
	if l := must[[]Deployment](t)(c.ListDeployments(x, DeploymentFilter{AppID: app.ID, ProjectEnvID: pe.ID})); len(l) != 1 || l[0].ID != d.ID {
		t.Fatalf("deployments: %+v", l)
	}
	d = must[*Deployment](t)(c.UpdateDeployment(x, d.ID, "renamed"))
	if d.Description != "renamed" {
		t.Fatalf("deployment update: %+v", d)
	}
	if how := must[ConfigRemoval](t)(c.RemoveAppConfig(x, app.ID, pe.ID)); how != ConfigEmptied {
		t.Fatalf("removal: %s", how)
	}
	if got := must[*AppConfig](t)(c.GetAppConfig(x, neighbour.ID, pe.ID)); got.Config != "replicaCount: 5\n" {
		t.Fatalf("the neighbour's config was touched: %+v", got)
	}

	// users by role name
	u := must[*User](t)(c.CreateUser(x, UserInput{Name: "dep", Password: "Deploy-pw1", Email: "dep@example.com", Role: RoleDeployer}))
	if u.Role != RoleDeployer {
		t.Fatalf("user: %+v", u)
	}
	if u = must[*User](t)(c.SetUserRole(x, u.ID, RoleDeveloper)); u.Role != RoleDeveloper {
		t.Fatalf("role: %+v", u)
	}
	must[*User](t)(c.SetUserPassword(x, u.ID, "Deploy-pw1", "Deploy-pw2"))
	must[*LoginResult](t)(c.LoginAs(x, "dep", "Deploy-pw2"))
	check(t, c.DeleteUser(x, u.ID))
	if _, err := c.GetUser(x, u.ID); !IsNotFound(err) {
		t.Fatalf("deleted user: %v", err)
	}

	// what this server would orphan is refused; what it refuses is explained
	if err := c.DeleteProject(x, p.ID); !IsInUse(err) {
		t.Fatalf("project in use: %v", err)
	}
	if err := c.DeleteCluster(x, cl.ID); !IsInUse(err) {
		t.Fatalf("cluster in use: %v", err)
	}
	if err := c.DeleteEnv(x, env.ID); !IsInUse(err) {
		t.Fatalf("env in use: %v", err)
	}
	if err := c.DeleteApp(x, app.ID); !IsInUse(err) {
		t.Fatalf("app with a release: %v", err)
	}
	if err := c.DeleteProjectEnv(x, p.ID, pe.ID); !IsInUse(err) || !strings.Contains(err.Error(), "41200008") {
		t.Fatalf("project-env with configs: %v", err)
	}
}
