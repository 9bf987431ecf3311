package client

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/galaxias/terraform-provider-galaxias/internal/testing/refserver"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/refserver/refservertest"
)

// rockAdmin is a client of the fake that logs in as its admin.
func rockAdmin(t *testing.T, f *rockFake) *Client {
	t.Helper()
	return mustClient(t, Options{BaseURL: f.URL, Username: "admin", Password: "Admin-pw1", LoginRetryPause: time.Millisecond})
}

// rockWorld is a project with an env bound to it and one app, on the fake.
type rockWorld struct {
	cluster *Cluster
	env     *Env
	project *Project
	pe      *ProjectEnv
	app     *App
}

func newRockWorld(t *testing.T, c *Client, name string) rockWorld {
	t.Helper()
	x := ctx(t)
	var w rockWorld
	w.cluster = must[*Cluster](t)(c.CreateCluster(x, ClusterInput{Name: name + "-cluster", Config: "apiVersion: v1\nkind: Config\n"}))
	w.env = must[*Env](t)(c.CreateEnv(x, EnvInput{ClusterID: w.cluster.ID, Namespace: "default"}))
	w.project = must[*Project](t)(c.CreateProject(x, ProjectInput{Name: name}))
	w.pe = must[*ProjectEnv](t)(c.CreateProjectEnv(x, w.project.ID, ProjectEnvInput{EnvID: w.env.ID}))
	w.app = must[*App](t)(c.CreateApp(x, AppInput{ProjectID: w.project.ID, Name: name + "-app"}))
	return w
}

// Configure against the re-implementation: a token-only probe that pages
// the way it wants, a login whose token is only in the cookie and whose
// times have no offset, and the dialect read from the answers.
func TestRockConfigure(t *testing.T) {
	f := newRockFake(t)
	x := ctx(t)
	admin := rockAdmin(t, f)
	res := must[*LoginResult](t)(admin.LoginAs(x, "admin", "Admin-pw1"))
	if res.Token == "" || res.Role != RoleAdmin || res.RoleID != 1 {
		t.Fatalf("login: %+v", res)
	}
	if res.CreatedAt.Zoned || res.CreatedAt.Format("2006-01-02 15:04:05") != "2026-12-01 19:38:51" {
		t.Fatalf("an offset-less time must be read as it is, not zoned: %+v", res.CreatedAt)
	}
	if fl, src := admin.DetectedDialect(); fl != DialectRock || !strings.Contains(src, "login") {
		t.Fatalf("the login answer's role_id tells the dialect: %q (%s)", fl, src)
	}

	tok := mustClient(t, Options{BaseURL: f.URL, Token: res.Token})
	check(t, tok.CheckAuth(x))
	probe := f.seen("GET /v1/projects")
	if len(probe) != 1 || !strings.Contains(probe[0], "page_num=1") || !strings.Contains(probe[0], "page_size=1") ||
		!strings.Contains(probe[0], "page=1") || !strings.Contains(probe[0], "per_page=1") {
		t.Fatalf("the probe must page in both namings: %v", probe)
	}
	if fl, src := tok.DetectedDialect(); fl != DialectRock || !strings.Contains(src, "envelope") {
		t.Fatalf("the probe's envelope tells the dialect: %q (%s)", fl, src)
	}

	// a configured dialect wins over what answers suggest
	forced := mustClient(t, Options{BaseURL: f.URL, Token: res.Token, Dialect: dialectGalaxias})
	check(t, forced.CheckAuth(x))
	if fl, src := forced.DetectedDialect(); fl != dialectGalaxias || src != "configured" {
		t.Fatalf("override: %q (%s)", fl, src)
	}
	if _, err := New(Options{BaseURL: f.URL, Token: "t", Dialect: "mongo"}); err == nil {
		t.Fatal("an unknown dialect must be refused")
	}

	// the contract's server is detected as galaxias
	srv := refservertest.Start(t, refserver.Options{})
	g := mustClient(t, Options{BaseURL: srv.URL, Username: refservertest.AdminName, Password: refservertest.AdminPassword})
	if fl := must[Dialect](t)(g.Dialect(x)); fl != dialectGalaxias {
		t.Fatalf("contract server: %q", fl)
	}
}

// Two logins of one user in the same second: the re-implementation fails
// the second with a 500; the client tries again after a pause. A wrong
// password and an unknown user (500 {}, not retried) are named clearly.
func TestRockLoginRace(t *testing.T) {
	f := newRockFake(t)
	x := ctx(t)
	sameSecond := time.Date(2026, 12, 1, 19, 38, 51, 0, time.UTC)
	f.now = func() time.Time {
		if f.logins <= 2 { // read under f.mu by the login handler
			return sameSecond
		}
		return sameSecond.Add(time.Second)
	}
	a, b := rockAdmin(t, f), rockAdmin(t, f)
	check(t, a.Login(x))
	check(t, b.Login(x))
	if f.logins != 3 {
		t.Fatalf("want the racing login tried once more (3 logins), got %d", f.logins)
	}
	if a.Token() == b.Token() || b.Token() == "" {
		t.Fatalf("the retried login must get its own token")
	}

	_, err := a.LoginAs(x, "admin", "wrong")
	if !IsUnauthorized(err) || !strings.Contains(err.Error(), "400") || !strings.Contains(err.Error(), "password incorrect") {
		t.Fatalf("wrong password: %v", err)
	}
	before := f.logins
	_, err = a.LoginAs(x, "nobody", "x")
	if !IsUnauthorized(err) || !strings.Contains(err.Error(), `"nobody" does not exist or was deleted`) || f.logins-before != 1 {
		t.Fatalf("unknown user: a 500 {} not retried, named: %v (%d attempts)", err, f.logins-before)
	}
}

// An expiring token is renewed by a login before it runs out (when a
// password is configured) and after a 401; a token-only client sends it
// as is and the 401 says it may have expired.
func TestRockExpiringToken(t *testing.T) {
	f := newRockFake(t)
	x := ctx(t)
	f.tokenLife = 10 * time.Second // inside the client's renewal margin
	c := rockAdmin(t, f)
	must[[]Project](t)(c.ListProjects(x, ""))
	must[[]Project](t)(c.ListProjects(x, ""))
	if f.logins != 2 {
		t.Fatalf("a token about to expire must be renewed before use: %d logins", f.logins)
	}

	f.tokenLife = time.Hour
	check(t, c.Login(x))
	old := c.Token()
	f.mu.Lock()
	f.tokens = map[string]string{} // the server forgets it
	f.mu.Unlock()
	must[[]Project](t)(c.ListProjects(x, ""))
	if c.Token() == old {
		t.Fatal("a refused token must be replaced by a new login")
	}

	tokOnly := mustClient(t, Options{BaseURL: f.URL, Token: old})
	_, err := tokOnly.ListProjects(x, "")
	if !IsUnauthorized(err) || !strings.Contains(err.Error(), "Parse token failed") || !strings.Contains(err.Error(), "expired") {
		t.Fatalf("a bare-string 401 must be named: %v", err)
	}
}

// Lists page in both namings, stop on an empty list that says pages: 1,
// search with fq and query_field, and find apps without GET /v1/apps.
func TestRockLists(t *testing.T) {
	f := newRockFake(t)
	x := ctx(t)
	c := rockAdmin(t, f)
	if l := must[[]Project](t)(c.ListProjects(x, "")); len(l) != 0 || len(f.seen("GET /v1/projects?")) != 1 {
		t.Fatalf("an empty list (pages: 1) is one request: %v %v", l, f.seen("GET /v1/projects?"))
	}
	const n = 250
	f.mu.Lock()
	for i := range n {
		f.projects[int64(i+1)] = f.stamp(map[string]any{"id": int64(i + 1), "name": fmt.Sprintf("p%03d", i)})
	}
	f.mu.Unlock()
	all := must[[]Project](t)(c.ListProjects(x, ""))
	seen := map[int64]bool{}
	for _, p := range all {
		seen[p.ID] = true
	}
	if len(all) != n || len(seen) != n {
		t.Fatalf("want %d distinct projects over 3 pages, got %d (%d distinct)", n, len(all), len(seen))
	}
	if l := must[[]Project](t)(c.ListProjects(x, "p24")); len(l) != 10 {
		t.Fatalf("query_field search: %d", len(l))
	}
	last := f.seen("GET /v1/projects?")
	if q := last[len(last)-1]; !strings.Contains(q, "query_field=p24") || !strings.Contains(q, "fq=p24") {
		t.Fatalf("the search must be sent in both namings: %s", q)
	}

	w := newRockWorld(t, c, "lists")
	apps := must[[]App](t)(c.ListApps(x, "lists"))
	if len(apps) != 1 || apps[0].ID != w.app.ID || len(f.seen("GET /v1/apps?")) != 0 {
		t.Fatalf("apps of every project, without GET /v1/apps: %+v %v", apps, f.seen("GET /v1/apps?"))
	}
}

// Project-envs only through the nested routes: a name is always sent, a
// project-env of another project is not answered as this one's, the
// lookup by id alone lists projects, and a delete refused because of app
// configs says why.
func TestRockProjectEnvs(t *testing.T) {
	f := newRockFake(t)
	x := ctx(t)
	c := rockAdmin(t, f)
	w := newRockWorld(t, c, "pe")
	if w.pe.Name != "pe-cluster-default" || !strings.Contains(f.body("POST /v1/projects/"+fmt.Sprint(w.project.ID)+"/project-envs"), `"name":"pe-cluster-default"`) {
		t.Fatalf("the default name <cluster>-<namespace> must be sent: %+v", w.pe)
	}
	other := must[*Project](t)(c.CreateProject(x, ProjectInput{Name: "other"}))
	if _, err := c.GetProjectEnv(x, other.ID, w.pe.ID); !IsNotFound(err) {
		t.Fatalf("a project-env read under another project: %v", err)
	}
	if err := c.DeleteProjectEnv(x, other.ID, w.pe.ID); !IsNotFound(err) || len(f.seen("DELETE /v1/projects/")) != 0 {
		t.Fatalf("a delete under another project must not reach the server: %v", err)
	}
	pe := must[*ProjectEnv](t)(c.LookupProjectEnv(x, w.pe.ID))
	if pe.ProjectID != w.project.ID || len(f.seen("GET /v1/project-envs")) != 0 {
		t.Fatalf("lookup by id: %+v; top-level requests: %v", pe, f.seen("GET /v1/project-envs"))
	}
	if _, err := c.LookupProjectEnv(x, 9999); !IsNotFound(err) {
		t.Fatalf("unknown id: %v", err)
	}
	if l := must[[]ProjectEnv](t)(c.FindProjectEnvs(x, 0, w.env.ID)); len(l) != 1 || l[0].ID != w.pe.ID {
		t.Fatalf("find by env: %+v", l)
	}

	must[*AppConfig](t)(c.PutAppConfig(x, w.app.ID, w.pe.ID, "replicaCount: 2\n"))
	check(t, c.DeleteAppConfig(x, w.app.ID, w.pe.ID))
	err := c.DeleteProjectEnv(x, w.project.ID, w.pe.ID)
	if !IsInUse(err) || CodeOf(err) != CodeRockConfigDependence || !strings.Contains(err.Error(), "no route that deletes one") {
		t.Fatalf("a project-env with an (emptied) config: %v", err)
	}
}

// Destroying one app's config never deletes another's: where the delete
// route is unsafe the client writes empty values; on the contract's server
// it deletes that one config.
func TestAppConfigRemovalIsSafe(t *testing.T) {
	t.Run("rock", func(t *testing.T) {
		f := newRockFake(t)
		x := ctx(t)
		c := rockAdmin(t, f)
		w := newRockWorld(t, c, "cfg")
		other := must[*App](t)(c.CreateApp(x, AppInput{ProjectID: w.project.ID, Name: "other"}))
		must[*AppConfig](t)(c.PutAppConfig(x, w.app.ID, w.pe.ID, "a: 1\n"))
		must[*AppConfig](t)(c.PutAppConfig(x, other.ID, w.pe.ID, "b: 2\n"))
		if got := must[ConfigRemoval](t)(c.RemoveAppConfig(x, w.app.ID, w.pe.ID)); got != ConfigEmptied {
			t.Fatalf("removal: %s", got)
		}
		if len(f.seen("DELETE /v1/apps/")) != 0 {
			t.Fatalf("the unsafe delete route was used: %v", f.seen("DELETE"))
		}
		if got := must[*AppConfig](t)(c.GetAppConfig(x, other.ID, w.pe.ID)); got.Config != "b: 2\n" {
			t.Fatalf("another app's config was touched: %+v", got)
		}
		if got := must[*AppConfig](t)(c.GetAppConfig(x, w.app.ID, w.pe.ID)); !IsEmptiedConfig(got.Config) || got.Config != emptiedConfig {
			t.Fatalf("emptied config: %q", got.Config)
		}
		if got := must[ConfigRemoval](t)(c.RemoveAppConfig(x, w.app.ID, w.pe.ID)); got != ConfigEmptied {
			t.Fatalf("removing again: %s", got)
		}
		app3 := must[*App](t)(c.CreateApp(x, AppInput{ProjectID: w.project.ID, Name: "none"}))
		if got := must[ConfigRemoval](t)(c.RemoveAppConfig(x, app3.ID, w.pe.ID)); got != configAbsent {
			t.Fatalf("no config: %s", got)
		}
	})
	t.Run("contract", func(t *testing.T) {
		_, c := start(t, refserver.Options{})
		x := ctx(t)
		w := newWorld(t, c, "cfg")
		other := must[*App](t)(c.CreateApp(x, AppInput{ProjectID: w.project.ID, Name: "other"}))
		must[*AppConfig](t)(c.PutAppConfig(x, w.app.ID, w.pe.ID, "a: 1\n"))
		must[*AppConfig](t)(c.PutAppConfig(x, other.ID, w.pe.ID, "b: 2\n"))
		if got := must[ConfigRemoval](t)(c.RemoveAppConfig(x, w.app.ID, w.pe.ID)); got != configDeleted {
			t.Fatalf("removal: %s", got)
		}
		if _, err := c.GetAppConfig(x, w.app.ID, w.pe.ID); !IsNotFound(err) {
			t.Fatalf("deleted config: %v", err)
		}
		if got := must[*AppConfig](t)(c.GetAppConfig(x, other.ID, w.pe.ID)); got.Config != "b: 2\n" {
			t.Fatalf("another app's config was touched: %+v", got)
		}
	})
}

// Users keep one interface (role by name) on the re-implementation.
func TestRockUsers(t *testing.T) {
	f := newRockFake(t)
	x := ctx(t)
	c := rockAdmin(t, f)
	if _, err := c.CreateUser(x, UserInput{Name: "noemail", Password: "Pw-123456"}); !IsUnsupported(err) || !strings.Contains(err.Error(), "email") {
		t.Fatalf("a user without email: %v", err)
	}
	if len(f.seen("POST /v1/users")) != 0 {
		t.Fatal("the refused user was posted")
	}
	u := must[*User](t)(c.CreateUser(x, UserInput{Name: "dep", Password: "Pw-123456", Email: "dep@example.com", Role: RoleDeployer}))
	if u.Role != RoleDeployer || !strings.Contains(f.body("POST /v1/users"), `"role_id":4`) {
		t.Fatalf("create: %+v, body %s", u, f.body("POST /v1/users"))
	}
	if _, err := c.UpdateUser(x, u.ID, UserInput{Email: "x@example.com"}); !IsUnsupported(err) {
		t.Fatalf("email change: %v", err)
	}
	u = must[*User](t)(c.SetUserRole(x, u.ID, RoleDeveloper))
	if u.Role != RoleDeveloper || f.body("PUT /v1/users/"+fmt.Sprint(u.ID)+"/roles") != `{"role_id":3}`+"\n" &&
		f.body("PUT /v1/users/"+fmt.Sprint(u.ID)+"/roles") != `{"role_id":3}` {
		t.Fatalf("role change: %+v, body %q", u, f.body("PUT /v1/users/"+fmt.Sprint(u.ID)+"/roles"))
	}
	if _, err := c.SetUserPassword(x, u.ID, "", "Pw-654321"); !IsUnsupported(err) {
		t.Fatalf("a password change without the old one: %v", err)
	}
	must[*User](t)(c.SetUserPassword(x, u.ID, "Pw-123456", "Pw-654321"))
	if b := f.body("PUT /v1/users/" + fmt.Sprint(u.ID) + "/password"); !strings.Contains(b, `"old_password":"Pw-123456"`) || !strings.Contains(b, `"new_password":"Pw-654321"`) {
		t.Fatalf("password body: %s", b)
	}
	must[*LoginResult](t)(c.LoginAs(x, "dep", "Pw-654321"))
	list := must[[]User](t)(c.ListUsers(x, "dep"))
	if len(list) != 1 || list[0].Role != RoleDeveloper {
		t.Fatalf("listed users get their role name from role_id: %+v", list)
	}
	check(t, c.DeleteUser(x, u.ID))
	if _, err := c.GetUser(x, u.ID); !IsNotFound(err) {
		t.Fatalf("a deleted user (answered 500 by the server) must read as not found: %v", err)
	}
}

// Clusters whose answers never include config.
func TestRockClusters(t *testing.T) {
	f := newRockFake(t)
	x := ctx(t)
	c := rockAdmin(t, f)
	cl := must[*Cluster](t)(c.CreateCluster(x, ClusterInput{Name: "k", Config: "kubeconfig-1"}))
	if cl.HasConfig || cl.Config != "" {
		t.Fatalf("no config in the answer must be visible as such: %+v", cl)
	}
	cl = must[*Cluster](t)(c.UpdateCluster(x, cl.ID, ClusterInput{Description: "d", Config: "kubeconfig-2"}))
	if cl.Description != "d" || !strings.Contains(f.body("PUT /v1/clusters/"+fmt.Sprint(cl.ID)), `"config":"kubeconfig-2"`) {
		t.Fatalf("the update must send the kubeconfig: %s", f.body("PUT /v1/clusters/"+fmt.Sprint(cl.ID)))
	}
	must[*Env](t)(c.CreateEnv(x, EnvInput{ClusterID: cl.ID, Namespace: "ns"}))
	if err := c.DeleteCluster(x, cl.ID); !IsInUse(err) || len(f.seen("DELETE /v1/clusters")) != 0 {
		t.Fatalf("a cluster with envs (which this server would delete): %v", err)
	}

	_, g := start(t, refserver.Options{})
	gcl := must[*Cluster](t)(g.CreateCluster(x, ClusterInput{Name: "k", Config: "kubeconfig-1"}))
	if !gcl.HasConfig || gcl.Config != "kubeconfig-1" {
		t.Fatalf("contract: %+v", gcl)
	}
}

// What this server would delete and leave its dependants orphaned — a
// project with apps, an env bound by project-envs, an app with a release —
// the client refuses.
func TestRockProjectDeleteGuard(t *testing.T) {
	f := newRockFake(t)
	x := ctx(t)
	c := rockAdmin(t, f)
	w := newRockWorld(t, c, "guard")
	err := c.DeleteProject(x, w.project.ID)
	var iu *inUseError
	if !errors.As(err, &iu) || !IsInUse(err) || !strings.Contains(err.Error(), "1 app(s) and 1 project-environment(s)") {
		t.Fatalf("a project in use: %v", err)
	}
	must[*Project](t)(c.GetProject(x, w.project.ID))

	// an env bound by a project-env, an app with a release
	if err := c.DeleteEnv(x, w.env.ID); !IsInUse(err) || !strings.Contains(err.Error(), "1 project-environment(s)") {
		t.Fatalf("an env in use: %v", err)
	}
	must[*AppConfig](t)(c.PutAppConfig(x, w.app.ID, w.pe.ID, "a: 1\n"))
	must[*Deployment](t)(c.CreateDeployment(x, DeploymentInput{AppID: w.app.ID, ProjectEnvID: w.pe.ID, ChartName: w.app.Name, ChartVersion: "1.0.0"}))
	if err := c.DeleteApp(x, w.app.ID); !IsInUse(err) || !strings.Contains(err.Error(), "1 release(s)") {
		t.Fatalf("an app with a release: %v", err)
	}
	if len(f.seen("DELETE /v1/envs")) != 0 || len(f.seen("DELETE /v1/apps")) != 0 {
		t.Fatalf("a guarded delete reached the server: %v", f.seen("DELETE"))
	}
	// once free, they go
	other := must[*App](t)(c.CreateApp(x, AppInput{ProjectID: w.project.ID, Name: "free"}))
	check(t, c.DeleteApp(x, other.ID))
	free := must[*Env](t)(c.CreateEnv(x, EnvInput{ClusterID: w.cluster.ID, Namespace: "free"}))
	check(t, c.DeleteEnv(x, free.ID))
}

// Chart versions as bare arrays of ChartMuseum entries.
func TestRockCharts(t *testing.T) {
	f := newRockFake(t)
	x := ctx(t)
	c := rockAdmin(t, f)
	w := newRockWorld(t, c, "ch")
	f.mu.Lock()
	f.charts = []map[string]any{
		{"name": "ch-app", "version": "1.0.0-master-abc123", "appVersion": "1.0.0", "digest": "d1", "created": "2026-12-01T19:38:51.123456789+08:00", "urls": []string{"charts/ch-app-1.0.0-master-abc123.tgz"}},
		{"name": "ch-app", "version": "1.1.0", "appVersion": "1.1.0", "digest": "d2", "created": "2026-12-02T10:00:00Z"},
		{"name": "other", "version": "2.0.0"},
	}
	f.mu.Unlock()
	l := must[[]Chart](t)(c.ListAppCharts(x, w.app.ID))
	if len(l) != 2 || l[0].ChartVersion != "1.0.0-master-abc123" || l[0].AppVersion != "1.0.0" || l[0].Digest != "d1" ||
		!l[0].CreatedAt.Zoned || l[0].Version != 0 || len(l[0].URLs) != 1 {
		t.Fatalf("app charts: %+v", l)
	}
	if l := must[[]Chart](t)(c.ListChartVersions(x, "ch-app")); len(l) != 2 {
		t.Fatalf("chart versions: %+v", l)
	}
	ch := must[*Chart](t)(c.GetChart(x, "ch-app", "1.1.0"))
	if ch.ChartVersion != "1.1.0" || len(f.seen("GET /v1/charts/ch-app/versions/1.1.0")) != 1 {
		t.Fatalf("one version: %+v", ch)
	}
	if _, err := c.UploadChart(x, []byte("x")); !IsUnsupported(err) {
		t.Fatalf("upload: %v", err)
	}
}

// Instances and deployment lists that ignore their filters and lack
// app_id/env_id: the client reports only what it can attribute.
func TestRockInstancesAreAttributed(t *testing.T) {
	f := newRockFake(t)
	x := ctx(t)
	c := rockAdmin(t, f)
	w := newRockWorld(t, c, "inst")
	// another app of the same project, deployed to the same namespace
	other := must[*App](t)(c.CreateApp(x, AppInput{ProjectID: w.project.ID, Name: "other"}))
	// another project with an app of the same name, bound to the same env
	w2p := must[*Project](t)(c.CreateProject(x, ProjectInput{Name: "inst2"}))
	w2pe := must[*ProjectEnv](t)(c.CreateProjectEnv(x, w2p.ID, ProjectEnvInput{EnvID: w.env.ID}))
	w2app := must[*App](t)(c.CreateApp(x, AppInput{ProjectID: w2p.ID, Name: w.app.Name}))
	for _, a := range []struct{ app, pe int64 }{{w.app.ID, w.pe.ID}, {other.ID, w.pe.ID}, {w2app.ID, w2pe.ID}} {
		must[*AppConfig](t)(c.PutAppConfig(x, a.app, a.pe, "a: 1\n"))
	}
	mine := must[*Deployment](t)(c.CreateDeployment(x, DeploymentInput{AppID: w.app.ID, ProjectEnvID: w.pe.ID, ChartName: w.app.Name, ChartVersion: "1.0.0"}))
	theirs := must[*Deployment](t)(c.CreateDeployment(x, DeploymentInput{AppID: other.ID, ProjectEnvID: w.pe.ID, ChartName: "other", ChartVersion: "2.0.0"}))
	twin := must[*Deployment](t)(c.CreateDeployment(x, DeploymentInput{AppID: w2app.ID, ProjectEnvID: w2pe.ID, ChartName: w.app.Name, ChartVersion: "3.0.0"}))
	if mine.ProjectEnvID != w.pe.ID || mine.Status != "" {
		t.Fatalf("deployment: %+v", mine)
	}

	inst := must[*Instance](t)(c.FindInstance(x, w.app.ID, w.env.ID, ""))
	if inst == nil || inst.LastDeployment != mine.ID || inst.AppID != w.app.ID || inst.ChartVersion != "1.0.0" {
		t.Fatalf("my instance: %+v", inst)
	}
	if inst := must[*Instance](t)(c.FindInstance(x, other.ID, w.env.ID, "other")); inst == nil || inst.LastDeployment != theirs.ID {
		t.Fatalf("the other app's instance: %+v", inst)
	}
	if inst := must[*Instance](t)(c.FindInstance(x, w2app.ID, w.env.ID, w.app.Name)); inst == nil || inst.LastDeployment != twin.ID {
		t.Fatalf("the twin in another project: %+v", inst)
	}
	l := must[[]Instance](t)(c.ListInstances(x, InstanceFilter{AppID: w.app.ID, EnvID: w.env.ID}))
	if len(l) != 1 {
		t.Fatalf("only my release: %+v", l)
	}
	ds := must[[]Deployment](t)(c.ListDeployments(x, DeploymentFilter{AppID: w.app.ID, ProjectEnvID: w.pe.ID}))
	if len(ds) != 1 || ds[0].ID != mine.ID || ds[0].ProjectEnvID != w.pe.ID {
		t.Fatalf("my deployments: %+v", ds)
	}

	// the instance's own record names its app and env: deleting its last
	// deployment row (which leaves the instance, deployments.jsonl 49)
	// does not lose it; uninstalling it does
	f.mu.Lock()
	delete(f.deploys, mine.ID)
	f.mu.Unlock()
	if inst := must[*Instance](t)(c.FindInstance(x, w.app.ID, w.env.ID, "")); inst == nil || inst.ID != l[0].ID {
		t.Fatalf("the release without its deployment row: %+v", inst)
	}
	check(t, c.DeleteInstance(x, l[0].ID))
	if inst := must[*Instance](t)(c.FindInstance(x, w.app.ID, w.env.ID, "")); inst != nil {
		t.Fatalf("an uninstalled release was reported: %+v", inst)
	}
}

// The look-up before posting again never adopts a deployment it cannot
// attribute: the re-implementation writes the row before Helm runs and
// keeps it when Helm fails.
func TestRockDeploymentAttribution(t *testing.T) {
	f := newRockFake(t)
	x := ctx(t)
	c := rockAdmin(t, f)
	w := newRockWorld(t, c, "dep")
	must[*AppConfig](t)(c.PutAppConfig(x, w.app.ID, w.pe.ID, "a: 1\n"))
	in := DeploymentInput{AppID: w.app.ID, ProjectEnvID: w.pe.ID, ChartName: w.app.Name, ChartVersion: "1.0.0", Description: "d"}

	// a Helm failure: 500 50000006, and the row stays behind
	f.mu.Lock()
	f.helmFails = true
	f.mu.Unlock()
	if _, err := c.CreateDeployment(x, in); !IsDeploymentFailed(err) {
		t.Fatalf("helm failure: %v", err)
	}
	f.mu.Lock()
	failedRows := len(f.deploys)
	f.mu.Unlock()

	// the answer to a successful POST is lost: the new row, which the
	// instance now names, is taken — not the failed row with the same intent
	f.mu.Lock()
	f.helmFails, f.dropDeploy = false, 1
	f.mu.Unlock()
	d := must[*Deployment](t)(c.CreateDeployment(x, in))
	inst := must[*Instance](t)(c.FindInstance(x, w.app.ID, w.env.ID, ""))
	if inst == nil || d.ID != inst.LastDeployment || len(f.seen("POST /v1/deployments")) != 2 {
		t.Fatalf("adopted %+v, instance %+v, posts %v", d, inst, f.seen("POST /v1/deployments"))
	}

	// the answer to a failed POST is lost: its row is not taken (the
	// instance did not move), nor the earlier rows of the same intent; the
	// client posts once more, and that failure is what it reports
	f.mu.Lock()
	f.helmFails, f.dropDeploy = true, 1
	f.mu.Unlock()
	if _, err := c.CreateDeployment(x, in); !IsDeploymentFailed(err) || len(f.seen("POST /v1/deployments")) != 4 {
		t.Fatalf("a lost failed deployment must not be adopted: %v (posts %v)", err, f.seen("POST /v1/deployments"))
	}
	if got := must[*Instance](t)(c.FindInstance(x, w.app.ID, w.env.ID, "")); got.LastDeployment != d.ID {
		t.Fatalf("instance moved: %+v", got)
	}
	f.mu.Lock()
	if len(f.deploys) != failedRows+3 {
		t.Errorf("rows: %d, want %d", len(f.deploys), failedRows+3)
	}
	f.helmFails = false
	f.mu.Unlock()

	// no config: the server's 404 says what to do
	other := must[*App](t)(c.CreateApp(x, AppInput{ProjectID: w.project.ID, Name: "noconf"}))
	_, err := c.CreateDeployment(x, DeploymentInput{AppID: other.ID, ProjectEnvID: w.pe.ID, ChartName: "noconf", ChartVersion: "1.0.0"})
	if !IsNotFound(err) || !strings.Contains(err.Error(), "only with an app config") {
		t.Fatalf("no config: %v", err)
	}
}
