package client

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/galaxias/terraform-provider-galaxias/internal/testing/refserver"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/refserver/refservertest"
)

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return c
}

// start runs a reference server and returns it with an admin client that
// logs in with the admin's password.
func start(t *testing.T, opts refserver.Options) (*refservertest.Started, *Client) {
	t.Helper()
	srv := refservertest.Start(t, opts)
	return srv, mustClient(t, Options{BaseURL: srv.URL, Username: refservertest.AdminName, Password: refservertest.AdminPassword})
}

func mustClient(t *testing.T, o Options) *Client {
	t.Helper()
	o.HTTPClient = http.DefaultClient
	if o.PollInterval == 0 {
		o.PollInterval = 20 * time.Millisecond
	}
	c, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	return c
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

func check(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// userClient creates a user with the role and returns a client logged in as it.
func userClient(t *testing.T, srv *refservertest.Started, admin *Client, name, role string) *Client {
	t.Helper()
	must[*User](t)(admin.CreateUser(ctx(t), UserInput{Name: name, Password: name + "-pw", Role: role}))
	return mustClient(t, Options{BaseURL: srv.URL, Username: name, Password: name + "-pw"})
}

// world is a deployable setup: cluster, env, project, project-env, app.
type world struct {
	cluster    *Cluster
	env        *Env
	project    *Project
	pe         *ProjectEnv
	app        *App
	deployable DeploymentInput
}

func newWorld(t *testing.T, c *Client, name string) world {
	t.Helper()
	x := ctx(t)
	var w world
	w.cluster = must[*Cluster](t)(c.CreateCluster(x, ClusterInput{Name: name + "-cluster", Config: "apiVersion: v1\nkind: Config\n"}))
	w.env = must[*Env](t)(c.CreateEnv(x, EnvInput{ClusterID: w.cluster.ID, Namespace: name + "-ns"}))
	w.project = must[*Project](t)(c.CreateProject(x, ProjectInput{Name: name + "-project"}))
	w.pe = must[*ProjectEnv](t)(c.CreateProjectEnv(x, w.project.ID, ProjectEnvInput{EnvID: w.env.ID}))
	w.app = must[*App](t)(c.CreateApp(x, AppInput{ProjectID: w.project.ID, Name: name}))
	must[*Chart](t)(c.UploadChart(x, refserver.TestChart(name, "1.0.0-master-abc123")))
	w.deployable = DeploymentInput{AppID: w.app.ID, ProjectEnvID: w.pe.ID, ChartName: name, ChartVersion: "1.0.0-master-abc123", Description: "test"}
	return w
}

// raw sends a request without the client and returns status and decoded body.
func raw(t *testing.T, method, url, token, body string) (int, map[string]any, http.Header) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	b, _ := io.ReadAll(resp.Body)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return resp.StatusCode, m, resp.Header
}

// wantStatus checks an error's HTTP status and that it carries an 8-digit
// error_code starting with the status.
func wantStatus(t *testing.T, err error, status int) {
	t.Helper()
	var ae *APIError
	if !errorAs(err, &ae) {
		t.Fatalf("want an API error %d, got %v", status, err)
	}
	if ae.StatusCode != status || ae.Code/100000 != status {
		t.Fatalf("want status %d with a %d-prefixed code, got %d / %d: %s", status, status, ae.StatusCode, ae.Code, ae.Message)
	}
}

func errorAs(err error, target **APIError) bool { return errors.As(err, target) }

func mustRequest(t *testing.T, method, url string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

func do(t *testing.T, req *http.Request) int {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	return resp.StatusCode
}

// isForbidden reports a 403 answer, or the re-implementation's role refusal
// (401 40100001): the user's role may not do this. It and isBadRequest are
// the tests' own: the provider does not ask.
func isForbidden(err error) bool { return statusOf(err) == http.StatusForbidden || isRoleRefusal(err) }

// isBadRequest reports a 400 answer.
func isBadRequest(err error) bool { return statusOf(err) == http.StatusBadRequest }
