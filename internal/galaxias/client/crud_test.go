package client

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/galaxias/terraform-provider-galaxias/internal/testing/refserver"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/refserver/refservertest"
)

func TestResourcesRoundTrip(t *testing.T) {
	srv, c := start(t, refserver.Options{})
	x := ctx(t)
	_ = srv

	// projects
	p := must[*Project](t)(c.CreateProject(x, ProjectInput{Name: "aurora", Description: "one"}))
	if p.ID == 0 || p.Version != 1 || p.CreatedAt.IsZero() || p.UpdatedAt.IsZero() {
		t.Fatalf("bad record meta: %+v", p)
	}
	p2 := must[*Project](t)(c.UpdateProject(x, p.ID, ProjectInput{Description: "two"}))
	if p2.Description != "two" || p2.Name != "aurora" || p2.Version != 2 {
		t.Fatalf("update: %+v", p2)
	}
	if got := must[*Project](t)(c.GetProject(x, p.ID)); got.Version != 2 {
		t.Fatalf("get: %+v", got)
	}
	if l := must[[]Project](t)(c.ListProjects(x, "AUR")); len(l) != 1 {
		t.Fatalf("fq: %+v", l)
	}

	// clusters and envs
	cl := must[*Cluster](t)(c.CreateCluster(x, ClusterInput{Name: "10.151.3.99", Config: "kubeconfig"}))
	if cl.Config != "kubeconfig" {
		t.Fatalf("admin must see the kubeconfig: %+v", cl)
	}
	cl = must[*Cluster](t)(c.UpdateCluster(x, cl.ID, ClusterInput{Description: "d", Config: "kc2"}))
	if cl.Config != "kc2" || cl.Version != 2 {
		t.Fatalf("cluster update: %+v", cl)
	}
	env := must[*Env](t)(c.CreateEnv(x, EnvInput{ClusterID: cl.ID, Namespace: "default"}))
	env = must[*Env](t)(c.UpdateEnv(x, env.ID, EnvInput{Namespace: "ignored", Description: "prod"}))
	if env.Namespace != "default" || env.Description != "prod" {
		t.Fatalf("env update may change the description only: %+v", env)
	}
	if l := must[[]Env](t)(c.ListClusterEnvs(x, cl.ID)); len(l) != 1 || l[0].ID != env.ID {
		t.Fatalf("cluster envs: %+v", l)
	}
	must[*Env](t)(c.GetEnv(x, env.ID))
	if l := must[[]Env](t)(c.ListEnvs(x, "defa")); len(l) != 1 {
		t.Fatalf("envs fq: %+v", l)
	}
	must[[]Cluster](t)(c.ListClusters(x, ""))
	must[*Cluster](t)(c.GetCluster(x, cl.ID))

	// project-envs
	pe := must[*ProjectEnv](t)(c.CreateProjectEnv(x, p.ID, ProjectEnvInput{EnvID: env.ID}))
	if pe.Name != "10.151.3.99-default" || pe.ProjectID != p.ID {
		t.Fatalf("project-env: %+v", pe)
	}
	pe = must[*ProjectEnv](t)(c.UpdateProjectEnv(x, p.ID, pe.ID, ProjectEnvInput{Name: "prod", Description: "x"}))
	if pe.Name != "prod" {
		t.Fatalf("project-env update: %+v", pe)
	}
	if got := must[*ProjectEnv](t)(c.LookupProjectEnv(x, pe.ID)); got.ProjectID != p.ID {
		t.Fatalf("lookup: %+v", got)
	}
	must[*ProjectEnv](t)(c.GetProjectEnv(x, p.ID, pe.ID))
	if l := must[[]ProjectEnv](t)(c.ListProjectEnvs(x, p.ID)); len(l) != 1 {
		t.Fatalf("project-envs: %+v", l)
	}
	if l := must[[]ProjectEnv](t)(c.FindProjectEnvs(x, 0, env.ID)); len(l) != 1 {
		t.Fatalf("find project-envs: %+v", l)
	}

	// apps and config
	app := must[*App](t)(c.CreateApp(x, AppInput{ProjectID: p.ID, Name: "push", FullName: "idea-aurora/push"}))
	if app.Owner != refservertest.AdminName {
		t.Fatalf("owner defaults to the creator: %+v", app)
	}
	app = must[*App](t)(c.UpdateApp(x, app.ID, AppInput{Description: "push service", FullName: "g/r", DroneRepoID: 7}))
	if app.Name != "push" || app.Description != "push service" || app.DroneRepoID != 7 || app.Version != 2 {
		t.Fatalf("app update: %+v", app)
	}
	if l := must[[]App](t)(c.ListProjectApps(x, p.ID)); len(l) != 1 {
		t.Fatalf("project apps: %+v", l)
	}
	must[[]App](t)(c.ListApps(x, "pu"))
	must[*App](t)(c.GetApp(x, app.ID))
	cfg := must[*AppConfig](t)(c.PutAppConfig(x, app.ID, pe.ID, "replicaCount: 2\n"))
	cfg2 := must[*AppConfig](t)(c.PutAppConfig(x, app.ID, pe.ID, "replicaCount: 3\n"))
	if cfg2.ID != cfg.ID || cfg2.Version != 2 || cfg2.Config != "replicaCount: 3\n" {
		t.Fatalf("config upsert: %+v %+v", cfg, cfg2)
	}
	if got := must[*AppConfig](t)(c.GetAppConfig(x, app.ID, pe.ID)); got.Config != cfg2.Config {
		t.Fatalf("get config: %+v", got)
	}
	check(t, c.DeleteAppConfig(x, app.ID, pe.ID))
	if _, err := c.GetAppConfig(x, app.ID, pe.ID); !IsNotFound(err) {
		t.Fatalf("deleted config: %v", err)
	}

	// charts
	ch := must[*Chart](t)(c.UploadChart(x, refserver.TestChart("push", "1.0.0-master-fe380d")))
	if ch.Name != "push" || ch.ChartVersion != "1.0.0-master-fe380d" || len(ch.Digest) != 64 {
		t.Fatalf("chart: %+v", ch)
	}
	must[*Chart](t)(c.UploadChart(x, refserver.TestChart("push", "1.1.0")))
	must[*Chart](t)(c.UploadChart(x, refserver.TestChart("other", "1.1.0")))
	if l := must[[]Chart](t)(c.ListAppCharts(x, app.ID)); len(l) != 2 {
		t.Fatalf("app charts: %+v", l)
	}
	if l := must[[]Chart](t)(c.ListChartVersions(x, "push")); len(l) != 2 {
		t.Fatalf("chart versions: %+v", l)
	}
	if l := must[[]Chart](t)(c.ListCharts(x, "")); len(l) != 3 {
		t.Fatalf("charts: %+v", l)
	}
	must[*Chart](t)(c.GetChart(x, "push", "1.1.0"))
	check(t, c.DeleteChart(x, "other", "1.1.0"))
	if _, err := c.ListChartVersions(x, "other"); !IsNotFound(err) {
		t.Fatalf("deleted chart: %v", err)
	}

	// deployments and instances
	d := must[*Deployment](t)(c.CreateDeployment(x, DeploymentInput{AppID: app.ID, ProjectEnvID: pe.ID, ChartName: "push", ChartVersion: "1.0.0-master-fe380d", Description: "first"}))
	if d.Name != "push-default" || d.Status != StatusSuccess || d.EnvID != env.ID {
		t.Fatalf("deployment: %+v", d)
	}
	d = must[*Deployment](t)(c.UpdateDeployment(x, d.ID, "renamed"))
	if d.Description != "renamed" || d.Version != 2 {
		t.Fatalf("deployment update: %+v", d)
	}
	must[*Deployment](t)(c.GetDeployment(x, d.ID))
	inst := must[[]Instance](t)(c.ListInstances(x, InstanceFilter{AppID: app.ID, EnvID: env.ID}))
	if len(inst) != 1 || inst[0].ChartVersion != "1.0.0-master-fe380d" || inst[0].LastDeployment != d.ID ||
		inst[0].Name != "push-default" || inst[0].ClusterName != "10.151.3.99" || inst[0].ProjectName != "aurora" {
		t.Fatalf("instance: %+v", inst)
	}
	if l := must[[]Instance](t)(c.ListAppInstances(x, app.ID)); len(l) != 1 {
		t.Fatalf("app instances: %+v", l)
	}
	must[*Instance](t)(c.GetInstance(x, inst[0].ID))
	if l := must[[]Deployment](t)(c.ListDeployments(x, DeploymentFilter{AppID: app.ID, ProjectEnvID: pe.ID})); len(l) != 1 {
		t.Fatalf("deployments: %+v", l)
	}

	// deletes, in dependency order
	check(t, c.DeleteInstance(x, inst[0].ID))
	check(t, c.DeleteDeployment(x, d.ID))
	check(t, c.DeleteApp(x, app.ID))
	check(t, c.DeleteProjectEnv(x, p.ID, pe.ID))
	check(t, c.DeleteEnv(x, env.ID))
	check(t, c.DeleteCluster(x, cl.ID))
	check(t, c.DeleteProject(x, p.ID))
	if _, err := c.GetProject(x, p.ID); !IsNotFound(err) {
		t.Fatalf("deleted project: %v", err)
	}
}

func TestUsers(t *testing.T) {
	srv, admin := start(t, refserver.Options{})
	x := ctx(t)
	u := must[*User](t)(admin.CreateUser(x, UserInput{Name: "dev", Password: "pw1", Email: "d@example.com"}))
	if u.Role != RoleDeveloper {
		t.Fatalf("default role: %+v", u)
	}
	u = must[*User](t)(admin.UpdateUser(x, u.ID, UserInput{Email: "e@example.com"}))
	if u.Email != "e@example.com" || u.Version != 2 {
		t.Fatalf("update: %+v", u)
	}
	u = must[*User](t)(admin.SetUserRole(x, u.ID, RoleDeployer))
	if u.Role != RoleDeployer {
		t.Fatalf("role: %+v", u)
	}
	if _, err := admin.SetUserRole(x, u.ID, "root"); !isBadRequest(err) {
		t.Fatalf("bad role: %v", err)
	}
	res := must[*LoginResult](t)(admin.LoginAs(x, "dev", "pw1"))
	dev := mustClient(t, Options{BaseURL: srv.URL, Token: res.Token})
	must[[]Project](t)(dev.ListProjects(x, ""))
	must[*User](t)(admin.SetUserPassword(x, u.ID, "pw1", "pw2"))
	if _, err := dev.ListProjects(x, ""); !IsUnauthorized(err) || CodeOf(err) != codeTokenRevoked {
		t.Fatalf("a password change revokes the token: %v", err)
	}
	if _, err := admin.LoginAs(x, "dev", "pw1"); !IsUnauthorized(err) {
		t.Fatalf("old password: %v", err)
	}
	must[*LoginResult](t)(admin.LoginAs(x, "dev", "pw2"))
	if l := must[[]User](t)(admin.ListUsers(x, "")); len(l) != 2 {
		t.Fatalf("users: %+v", l)
	}
	me := must[[]User](t)(admin.ListUsers(x, refservertest.AdminName))[0]
	if err := admin.DeleteUser(x, me.ID); !IsConflict(err) {
		t.Fatalf("deleting oneself: %v", err)
	}
	check(t, admin.DeleteUser(x, u.ID))
	if _, err := admin.GetUser(x, u.ID); !IsNotFound(err) {
		t.Fatalf("deleted user: %v", err)
	}
}

func TestErrors(t *testing.T) {
	srv, c := start(t, refserver.Options{})
	x := ctx(t)
	w := newWorld(t, c, "errs")

	t.Run("unknown ids give 404", func(t *testing.T) {
		for name, err := range map[string]error{
			"user":        second(c.GetUser(x, 999)),
			"project":     second(c.GetProject(x, 999)),
			"cluster":     second(c.GetCluster(x, 999)),
			"env":         second(c.GetEnv(x, 999)),
			"project-env": second(c.GetProjectEnv(x, w.project.ID, 999)),
			"pe of other": second(c.GetProjectEnv(x, 999, w.pe.ID)),
			"pe lookup":   second(c.LookupProjectEnv(x, 999)),
			"app":         second(c.GetApp(x, 999)),
			"config":      second(c.GetAppConfig(x, w.app.ID, 999)),
			"chart":       second(c.GetChart(x, "nope", "1.0.0")),
			"deployment":  second(c.GetDeployment(x, 999)),
			"instance":    second(c.GetInstance(x, 999)),
			"update":      second(c.UpdateProject(x, 999, ProjectInput{Name: "n"})),
			"delete":      c.DeleteCluster(x, 999),
			"env ref":     second(c.CreateEnv(x, EnvInput{ClusterID: 999, Namespace: "a"})),
			"app ref":     second(c.CreateApp(x, AppInput{ProjectID: 999, Name: "a"})),
			"pe ref":      second(c.CreateProjectEnv(x, w.project.ID, ProjectEnvInput{EnvID: 999})),
			"deploy app":  second(c.CreateDeployment(x, DeploymentInput{AppID: 999, ProjectEnvID: w.pe.ID, ChartName: "a", ChartVersion: "1.0.0"})),
			"sub list":    second(c.ListProjectApps(x, 999)),
		} {
			if !IsNotFound(err) {
				t.Errorf("%s: want 404, got %v", name, err)
			}
			wantStatus(t, err, 404)
		}
	})

	t.Run("duplicates give 409", func(t *testing.T) {
		for name, err := range map[string]error{
			"project": second(c.CreateProject(x, ProjectInput{Name: w.project.Name})),
			"cluster": second(c.CreateCluster(x, ClusterInput{Name: w.cluster.Name})),
			"env":     second(c.CreateEnv(x, EnvInput{ClusterID: w.cluster.ID, Namespace: w.env.Namespace})),
			"pe":      second(c.CreateProjectEnv(x, w.project.ID, ProjectEnvInput{EnvID: w.env.ID})),
			"app":     second(c.CreateApp(x, AppInput{ProjectID: w.project.ID, Name: w.app.Name})),
			"user":    second(c.CreateUser(x, UserInput{Name: refservertest.AdminName, Password: "x"})),
			"chart":   second(c.UploadChart(x, refserver.TestChart("errs", "1.0.0-master-abc123"))),
		} {
			if !IsConflict(err) {
				t.Errorf("%s: want 409, got %v", name, err)
			}
			wantStatus(t, err, 409)
		}
		other := must[*Project](t)(c.CreateProject(x, ProjectInput{Name: "other"}))
		if _, err := c.UpdateProject(x, other.ID, ProjectInput{Name: w.project.Name}); !IsConflict(err) {
			t.Errorf("rename onto an existing name: %v", err)
		}
		// the same app name in another project is fine
		must[*App](t)(c.CreateApp(x, AppInput{ProjectID: other.ID, Name: w.app.Name}))
	})

	t.Run("deleting what is in use gives 409", func(t *testing.T) {
		for name, err := range map[string]error{
			"env bound to a project-env": c.DeleteEnv(x, w.env.ID),
			"project with apps":          c.DeleteProject(x, w.project.ID),
			"cluster with envs":          c.DeleteCluster(x, w.cluster.ID),
		} {
			if !IsConflict(err) {
				t.Errorf("%s: want 409, got %v", name, err)
			}
			wantStatus(t, err, 409)
		}
	})

	t.Run("bad bodies give 400 and write nothing", func(t *testing.T) {
		tok := c.Token()
		before := len(must[[]Project](t)(c.ListProjects(x, "")))
		for _, tc := range []struct{ method, path, body string }{
			{"POST", "/v1/projects", `{"name": "x"`},
			{"POST", "/v1/projects", ``},
			{"POST", "/v1/projects", `[]`},
			{"POST", "/v1/projects", `{"description": "no name"}`},
			{"POST", "/v1/projects", `{"name": ""}`},
			{"POST", "/v1/projects", `{"name": 5}`},
			{"POST", "/v1/envs", `{"cluster_id": "x", "namespace": "a"}`},
			{"POST", "/v1/envs", fmt.Sprintf(`{"cluster_id": %d, "namespace": "Not_A_Namespace"}`, w.cluster.ID)},
			{"POST", "/v1/envs", fmt.Sprintf(`{"cluster_id": %d}`, w.cluster.ID)},
			{"POST", "/v1/users", `{"name": "u"}`},
			{"POST", "/v1/users", `{"name": "u", "password": "p", "role": "root"}`},
			{"PUT", fmt.Sprintf("/v1/projects/%d", w.project.ID), `{"name": ""}`},
			{"PUT", fmt.Sprintf("/v1/apps/%d/config", w.app.ID), `{"config": "a: 1"}`},
			{"PUT", fmt.Sprintf("/v1/apps/%d/config", w.app.ID), fmt.Sprintf(`{"project_env_id": %d, "config": "a: [1"}`, w.pe.ID)},
			{"POST", "/v1/deployments", `{"app_id": 1}`},
			{"POST", "/v1/deployments", fmt.Sprintf(`{"app_id": %d, "project_env_id": %d, "chart_name": "errs", "chart_version": "1.0.0-my_branch-abc123"}`, w.app.ID, w.pe.ID)},
			{"GET", "/v1/projects?page=0", ``},
			{"GET", "/v1/projects?per_page=x", ``},
			{"GET", fmt.Sprintf("/v1/apps/%d/config", w.app.ID), ``},
			{"POST", "/v1/charts", `not a chart`},
			{"POST", "/v1/charts", ``},
		} {
			status, body, _ := raw(t, tc.method, srv.URL+tc.path, tok, tc.body)
			code, _ := body["error_code"].(float64)
			if status != 400 || int(code)/100000 != 400 || body["error"] == "" {
				t.Errorf("%s %s %s: want 400 with an error body, got %d %v", tc.method, tc.path, tc.body, status, body)
			}
		}
		if after := len(must[[]Project](t)(c.ListProjects(x, ""))); after != before {
			t.Errorf("a rejected request wrote a project: %d -> %d", before, after)
		}
		if l := must[[]Deployment](t)(c.ListDeployments(x, DeploymentFilter{})); len(l) != 0 {
			t.Errorf("a rejected deployment was written: %+v", l)
		}
	})

	t.Run("app and project-env of different projects", func(t *testing.T) {
		other := newWorld(t, c, "errs2")
		_, err := c.PutAppConfig(x, w.app.ID, other.pe.ID, "a: 1")
		wantStatus(t, err, 400)
		_, err = c.CreateDeployment(x, DeploymentInput{AppID: w.app.ID, ProjectEnvID: other.pe.ID, ChartName: "errs", ChartVersion: "1.0.0-master-abc123"})
		wantStatus(t, err, 400)
	})

	t.Run("bodies over 10 MiB give 413", func(t *testing.T) {
		big := `{"name": "` + strings.Repeat("a", refserver.MaxBodyBytes) + `"}`
		status, body, _ := raw(t, "POST", srv.URL+"/v1/projects", c.Token(), big)
		if status != 413 || body["error_code"] == nil {
			t.Fatalf("want 413, got %d %v", status, body)
		}
		_, err := c.UploadChart(x, make([]byte, refserver.MaxBodyBytes+1))
		wantStatus(t, err, 413)
		// chunked, without a Content-Length
		req, _ := http.NewRequest("POST", srv.URL+"/v1/projects", struct{ *strings.Reader }{strings.NewReader(big)})
		req.Header.Set("Authorization", "Bearer "+c.Token())
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		if resp.StatusCode != 413 {
			t.Fatalf("chunked: want 413, got %d", resp.StatusCode)
		}
	})

	t.Run("unknown routes answer JSON 404", func(t *testing.T) {
		status, body, _ := raw(t, "GET", srv.URL+"/v1/nothing", c.Token(), "")
		if status != 404 || body["error_code"] == nil {
			t.Fatalf("got %d %v", status, body)
		}
	})
}

func second[T any](_ T, err error) error { return err }

func TestPagination(t *testing.T) {
	srv, c := start(t, refserver.Options{})
	x := ctx(t)
	const n = 230
	for i := range n {
		must[*Project](t)(c.CreateProject(x, ProjectInput{Name: fmt.Sprintf("p%03d", i)}))
	}
	all := must[[]Project](t)(c.ListProjects(x, ""))
	if len(all) != n {
		t.Fatalf("want %d projects over 3 pages, got %d", n, len(all))
	}
	for i, p := range all {
		if p.Name != fmt.Sprintf("p%03d", i) {
			t.Fatalf("item %d is %s: pages overlap or skip", i, p.Name)
		}
	}
	status, body, _ := raw(t, "GET", srv.URL+"/v1/projects?page=3&per_page=50&fq=P1", c.Token(), "")
	// fq P1 matches p100..p199: 100 items, page 3 of 2 is empty
	if status != 200 || body["page"] != 3.0 || body["per_page"] != 50.0 || body["total"] != 100.0 || body["pages"] != 2.0 || len(body["items"].([]any)) != 0 {
		t.Fatalf("envelope: %d %v", status, body)
	}
	status, body, _ = raw(t, "GET", srv.URL+"/v1/projects?page=2&per_page=50&fq=P1", c.Token(), "")
	if status != 200 || len(body["items"].([]any)) != 50 || body["items"].([]any)[0].(map[string]any)["name"] != "p150" {
		t.Fatalf("page 2: %d %v", status, body["items"])
	}
	status, body, _ = raw(t, "GET", srv.URL+"/v1/projects", c.Token(), "")
	if status != 200 || body["per_page"] != 20.0 || body["pages"] != 12.0 {
		t.Fatalf("defaults: %v", body)
	}
}

func TestIDObjectForm(t *testing.T) {
	srv, c := start(t, refserver.Options{})
	w := newWorld(t, c, "ids")
	tok := c.Token()
	status, body, _ := raw(t, "POST", srv.URL+"/v1/envs", tok, fmt.Sprintf(`{"cluster_id": {"id": %d}, "namespace": "objform"}`, w.cluster.ID))
	if status != 201 || body["cluster_id"] != float64(w.cluster.ID) {
		t.Fatalf("env with {id}: %d %v", status, body)
	}
	status, body, _ = raw(t, "POST", srv.URL+"/v1/apps", tok, fmt.Sprintf(`{"project_id": {"id": %d}, "name": "objapp"}`, w.project.ID))
	if status != 201 || body["project_id"] != float64(w.project.ID) {
		t.Fatalf("app with {id}: %d %v", status, body)
	}
	status, body, _ = raw(t, "PUT", fmt.Sprintf("%s/v1/apps/%d/config", srv.URL, w.app.ID), tok, fmt.Sprintf(`{"project_env_id": {"id": %d}, "config": "replicaCount: 4"}`, w.pe.ID))
	if status != 200 || body["project_env_id"] != float64(w.pe.ID) {
		t.Fatalf("config with {id}: %d %v", status, body)
	}
	status, body, _ = raw(t, "POST", srv.URL+"/v1/deployments", tok, fmt.Sprintf(
		`{"app_id": {"id": %d}, "project_env_id": {"id": %d}, "chart_name": "ids", "chart_version": "1.0.0-master-abc123"}`, w.app.ID, w.pe.ID))
	if status != 201 || body["app_id"] != float64(w.app.ID) || body["name"] != "ids-ids-ns" {
		t.Fatalf("deployment with {id}: %d %v", status, body)
	}
	status, body, _ = raw(t, "POST", srv.URL+"/v1/envs", tok, `{"cluster_id": {"name": 1}, "namespace": "x"}`)
	if status != 400 {
		t.Fatalf("an object without id: %d %v", status, body)
	}
}

func TestRestartPersistence(t *testing.T) {
	dir := t.TempDir()
	srv, c := start(t, refserver.Options{DataDir: dir})
	x := ctx(t)
	w := newWorld(t, c, "keep")
	d := must[*Deployment](t)(c.CreateDeployment(x, w.deployable))
	tok := c.Token()
	srv.Stop()

	srv2 := refservertest.Start(t, refserver.Options{DataDir: dir, AdminName: refservertest.AdminName, AdminPassword: "not-used-again"})
	c2 := mustClient(t, Options{BaseURL: srv2.URL, Token: tok})
	p := must[*Project](t)(c2.GetProject(x, w.project.ID))
	if p.Name != w.project.Name || !p.CreatedAt.Equal(w.project.CreatedAt.Time) {
		t.Fatalf("project after restart: %+v", p)
	}
	if got := must[*Deployment](t)(c2.GetDeployment(x, d.ID)); got.Status != StatusSuccess {
		t.Fatalf("deployment after restart: %+v", got)
	}
	if l := must[[]Instance](t)(c2.ListInstances(x, InstanceFilter{AppID: w.app.ID})); len(l) != 1 {
		t.Fatalf("instance after restart: %+v", l)
	}
	must[*Chart](t)(c2.GetChart(x, "keep", "1.0.0-master-abc123"))
	// the admin kept its password: it was not re-created
	must[*LoginResult](t)(c2.LoginAs(x, refservertest.AdminName, refservertest.AdminPassword))
}
