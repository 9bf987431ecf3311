package client

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/galaxias/terraform-provider-galaxias/internal/testing/refserver"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/refserver/refservertest"
)

var pathParam = regexp.MustCompile(`\{[^}]+\}`)

func TestUnauthenticatedSweep(t *testing.T) {
	srv, c := start(t, refserver.Options{})
	check(t, c.Login(ctx(t)))
	routes := srv.Routes()
	if len(routes) < 40 {
		t.Fatalf("only %d routes registered", len(routes))
	}
	for _, pattern := range routes {
		method, path, _ := strings.Cut(pattern, " ")
		url := srv.URL + pathParam.ReplaceAllString(path, "1")
		for _, tok := range []string{"", "garbage", c.Token() + "x"} {
			status, body, hdr := raw(t, method, url, tok, `{}`)
			code, _ := body["error_code"].(float64)
			if status != 401 || int(code)/100000 != 401 || body["error"] == "" || hdr.Get("WWW-Authenticate") == "" {
				t.Errorf("%s with token %q: want 401 with an error body, got %d %v", pattern, tok, status, body)
			}
		}
	}
	if status, _, _ := raw(t, "GET", srv.URL+"/health", "", ""); status != 200 {
		t.Errorf("health: %d", status)
	}
	if status, body, _ := raw(t, "POST", srv.URL+"/v1/auth/login", "", `{"name": "admin", "password": "wrong"}`); status != 401 || body["error_code"] == nil {
		t.Errorf("wrong password: %d %v", status, body)
	}
}

func TestCookieAuth(t *testing.T) {
	srv, c := start(t, refserver.Options{})
	x := ctx(t)
	res := must[*LoginResult](t)(c.LoginAs(x, refservertest.AdminName, refservertest.AdminPassword))
	if res.Token == "" || res.Role != RoleAdmin {
		t.Fatalf("login: %+v", res)
	}
	status, body, hdr := raw(t, "POST", srv.URL+"/v1/auth/login", "", `{"name": "admin", "password": "admin-password"}`)
	if status != 200 || !strings.Contains(hdr.Get("Set-Cookie"), "token="+body["token"].(string)) {
		t.Fatalf("login must set the token cookie equal to the body's token: %v / %v", hdr, body)
	}
	req := mustRequest(t, "GET", srv.URL+"/v1/projects")
	req.Header.Set("Cookie", "token="+body["token"].(string))
	if resp := do(t, req); resp != 200 {
		t.Fatalf("cookie auth: %d", resp)
	}
}

func TestRoles(t *testing.T) {
	srv, admin := start(t, refserver.Options{})
	x := ctx(t)
	w := newWorld(t, admin, "roles")
	dev := userClient(t, srv, admin, "dev", RoleDeveloper)
	dep := userClient(t, srv, admin, "dep", RoleDeployer)
	sta := userClient(t, srv, admin, "sta", RoleSystemToolsAdmin)

	// a developer reads, manages apps, config and charts; no clusters, no deploying
	if _, err := dev.CreateCluster(x, ClusterInput{Name: "c2"}); !isForbidden(err) {
		t.Errorf("developer created a cluster: %v", err)
	}
	if _, err := dev.CreateDeployment(x, w.deployable); !isForbidden(err) {
		t.Errorf("developer deployed: %v", err)
	}
	if cl := must[*Cluster](t)(dev.GetCluster(x, w.cluster.ID)); cl.Config != "" {
		t.Errorf("developer sees the kubeconfig")
	}
	app := must[*App](t)(dev.CreateApp(x, AppInput{ProjectID: w.project.ID, Name: "devapp"}))
	must[*AppConfig](t)(dev.PutAppConfig(x, app.ID, w.pe.ID, "replicaCount: 1"))
	must[*Chart](t)(dev.UploadChart(x, refserver.TestChart("devapp", "0.1.0")))
	if _, err := dev.ListUsers(x, ""); !isForbidden(err) {
		t.Errorf("developer listed users: %v", err)
	}

	// a deployer deploys and reads, and changes nothing else
	d := must[*Deployment](t)(dep.CreateDeployment(x, w.deployable))
	must[*Deployment](t)(dep.GetDeployment(x, d.ID))
	must[[]Project](t)(dep.ListProjects(x, ""))
	must[[]Instance](t)(dep.ListInstances(x, InstanceFilter{}))
	for name, err := range map[string]error{
		"create app":   second(dep.CreateApp(x, AppInput{ProjectID: w.project.ID, Name: "x"})),
		"put config":   second(dep.PutAppConfig(x, w.app.ID, w.pe.ID, "a: 1")),
		"create env":   second(dep.CreateEnv(x, EnvInput{ClusterID: w.cluster.ID, Namespace: "x"})),
		"delete proj":  dep.DeleteProject(x, w.project.ID),
		"upload chart": second(dep.UploadChart(x, refserver.TestChart("x", "1.0.0"))),
		"create user":  second(dep.CreateUser(x, UserInput{Name: "x", Password: "x"})),
		"sta user":     second(sta.CreateUser(x, UserInput{Name: "x", Password: "x"})),
	} {
		if !isForbidden(err) {
			t.Errorf("%s: want 403, got %v", name, err)
		}
	}
	// a system_tools_admin runs the infrastructure
	must[*Cluster](t)(sta.CreateCluster(x, ClusterInput{Name: "sta-cluster"}))
	must[*Deployment](t)(sta.CreateDeployment(x, w.deployable))
	if status, _, _ := raw(t, "GET", srv.URL+"/v1/_test/config", sta.Token(), ""); status != 403 {
		t.Errorf("the test route is admin only: %d", status)
	}
}

func TestTokenRotation(t *testing.T) {
	srv, admin := start(t, refserver.Options{})
	x := ctx(t)
	old := must[*LoginResult](t)(admin.LoginAs(x, refservertest.AdminName, refservertest.AdminPassword))
	byToken := mustClient(t, Options{BaseURL: srv.URL, Token: old.Token})
	must[[]Project](t)(byToken.ListProjects(x, ""))

	// a new login replaces the token
	must[*LoginResult](t)(admin.LoginAs(x, refservertest.AdminName, refservertest.AdminPassword))
	_, err := byToken.ListProjects(x, "")
	if !IsUnauthorized(err) || !IsTokenReplaced(err) || !strings.Contains(err.Error(), "replaced by a newer login") {
		t.Fatalf("old token: want 401 saying it was replaced, got %v", err)
	}

	// a password-configured client logs in again once, transparently
	must[[]Project](t)(admin.ListProjects(x, ""))
	must[*LoginResult](t)(byToken.LoginAs(x, refservertest.AdminName, refservertest.AdminPassword))
	must[[]Project](t)(admin.ListProjects(x, ""))

	// concurrent 401s cause one login, not logins that invalidate each other
	must[*LoginResult](t)(byToken.LoginAs(x, refservertest.AdminName, refservertest.AdminPassword))
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Go(func() { errs <- second(admin.ListProjects(x, "")) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("concurrent relogin: %v", err)
		}
	}

	// wrong credentials are reported, without the password
	bad := mustClient(t, Options{BaseURL: srv.URL, Username: "admin", Password: "s3cret-wrong"})
	err = bad.Login(x)
	if !IsUnauthorized(err) || strings.Contains(err.Error(), "s3cret-wrong") {
		t.Fatalf("bad login: %v", err)
	}
}

func TestNew(t *testing.T) {
	for _, o := range []Options{
		{BaseURL: "ftp://x", Token: "t"},
		{BaseURL: "http://x"},
		{BaseURL: "http://x", Username: "u"},
		{BaseURL: "", Token: "t"},
	} {
		if _, err := New(o); err == nil {
			t.Errorf("New(%+v) accepted", o)
		}
	}
	srv, _ := start(t, refserver.Options{})
	c := mustClient(t, Options{BaseURL: srv.URL + "/v1/", Username: refservertest.AdminName, Password: refservertest.AdminPassword})
	must[[]Project](t)(c.ListProjects(ctx(t), ""))
	check(t, c.Health(ctx(t)))
}

// The provider binary must not carry the server's dependencies: the client
// imports the standard library and the module's own product packages
// (internal/batch) only; never a third-party module, never the test tooling.
func TestClientImportsNoThirdPartyModule(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		af, err := parser.ParseFile(fset, f, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range af.Imports {
			p := strings.Trim(imp.Path.Value, `"`)
			own := strings.HasPrefix(p, "github.com/galaxias/terraform-provider-galaxias/internal/") &&
				!strings.Contains(p, "/internal/testing")
			if strings.Contains(strings.Split(p, "/")[0], ".") && !own {
				t.Errorf("%s imports %s", f, p)
			}
		}
	}
}
