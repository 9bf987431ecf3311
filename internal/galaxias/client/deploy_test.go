package client

import (
	"bytes"
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/galaxias/terraform-provider-galaxias/internal/testing/refserver"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/refserver/refservertest"
)

func TestDeploymentSync(t *testing.T) {
	_, c := start(t, refserver.Options{})
	x := ctx(t)
	w := newWorld(t, c, "svc")
	must[*AppConfig](t)(c.PutAppConfig(x, w.app.ID, w.pe.ID, "replicaCount: 3\nimage:\n  tag: v1\n"))

	d1 := must[*Deployment](t)(c.Deploy(x, w.deployable))
	if d1.Name != "svc-svc-ns" || d1.Status != StatusSuccess || d1.ProjectEnvID != w.pe.ID || d1.AppID != w.app.ID {
		t.Fatalf("deployment: %+v", d1)
	}
	must[*Chart](t)(c.UploadChart(x, refserver.TestChart("svc", "1.1.0-master-def456")))
	in := w.deployable
	in.ChartVersion = "1.1.0-master-def456"
	d2 := must[*Deployment](t)(c.CreateDeployment(x, in))

	inst := must[[]Instance](t)(c.ListInstances(x, InstanceFilter{AppID: w.app.ID, EnvID: w.env.ID}))
	if len(inst) != 1 || inst[0].ChartVersion != "1.1.0-master-def456" || inst[0].LastDeployment != d2.ID || inst[0].Version != 2 {
		t.Fatalf("the instance is upserted: %+v", inst)
	}
	if l := must[[]Deployment](t)(c.ListDeployments(x, DeploymentFilter{AppID: w.app.ID, ProjectEnvID: w.pe.ID})); len(l) != 2 {
		t.Fatalf("deployments: %+v", l)
	}
	// the history row an instance points at cannot go
	if err := c.DeleteDeployment(x, d2.ID); !IsConflict(err) {
		t.Fatalf("delete last deployment: %v", err)
	}
	check(t, c.DeleteDeployment(x, d1.ID))
	// an app with instances cannot go
	if err := c.DeleteApp(x, w.app.ID); !IsConflict(err) {
		t.Fatalf("delete deployed app: %v", err)
	}

	for name, tc := range map[string]struct {
		chart, version, msg string
	}{
		"missing chart":   {"nochart", "1.0.0", `chart "nochart" not found`},
		"missing version": {"svc", "9.9.9", `chart "svc" version "9.9.9" not found`},
	} {
		in := w.deployable
		in.ChartName, in.ChartVersion = tc.chart, tc.version
		_, err := c.CreateDeployment(x, in)
		if CodeOf(err) != codeHelmFailure || !IsDeploymentFailed(err) || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: want 500/50000006 %q, got %v", name, tc.msg, err)
		}
		wantStatus(t, err, 500)
	}
}

func TestDeploymentBrokenValuesWritesNothing(t *testing.T) {
	_, c := start(t, refserver.Options{})
	x := ctx(t)
	w := newWorld(t, c, "broken")
	must[*AppConfig](t)(c.PutAppConfig(x, w.app.ID, w.pe.ID, "replicaCount: null\n"))
	_, err := c.CreateDeployment(x, w.deployable)
	if CodeOf(err) != codeHelmFailure || !strings.Contains(err.Error(), "replicaCount is required") {
		t.Fatalf("want Helm's message with 50000006, got %v", err)
	}
	if l := must[[]Deployment](t)(c.ListDeployments(x, DeploymentFilter{AppID: w.app.ID})); len(l) != 0 {
		t.Fatalf("a failed deployment wrote a row: %+v", l)
	}
	if l := must[[]Instance](t)(c.ListInstances(x, InstanceFilter{AppID: w.app.ID})); len(l) != 0 {
		t.Fatalf("a failed deployment wrote an instance: %+v", l)
	}
	// a template that does not parse
	bad, err := refserver.BuildChart("broken", map[string]string{
		"Chart.yaml":        "apiVersion: v2\nname: broken\nversion: 2.0.0\n",
		"templates/cm.yaml": "{{ .Values.x ",
	})
	check(t, err)
	must[*Chart](t)(c.UploadChart(x, bad))
	in := w.deployable
	in.ChartVersion = "2.0.0"
	if _, err := c.CreateDeployment(x, in); CodeOf(err) != codeHelmFailure || !strings.Contains(err.Error(), "parse error") {
		t.Fatalf("want Helm's parse error, got %v", err)
	}
}

func TestDeploymentAsync(t *testing.T) {
	srv, c := start(t, refserver.Options{Async: true, AsyncDuration: 300 * time.Millisecond})
	x := ctx(t)
	w := newWorld(t, c, "async")
	d := must[*Deployment](t)(c.CreateDeployment(x, w.deployable))
	if d.Status != StatusPending || d.Done() {
		t.Fatalf("async deployment starts pending: %+v", d)
	}
	seen := map[string]bool{}
	for !d.Done() {
		d = must[*Deployment](t)(c.GetDeployment(x, d.ID))
		seen[d.Status] = true
		time.Sleep(20 * time.Millisecond)
	}
	if !seen[StatusRunning] || d.Status != StatusSuccess {
		t.Fatalf("want pending -> running -> success, saw %v, ended %+v", seen, d)
	}
	if l := must[[]Instance](t)(c.ListInstances(x, InstanceFilter{AppID: w.app.ID})); len(l) != 1 || l[0].LastDeployment != d.ID {
		t.Fatalf("instance after async success: %+v", l)
	}

	// a render failure ends in failure with Helm's message, and no instance change
	must[*AppConfig](t)(c.PutAppConfig(x, w.app.ID, w.pe.ID, "replicaCount: null\n"))
	d, err := c.Deploy(x, w.deployable)
	var df *DeploymentFailedError
	if !errors.As(err, &df) || !IsDeploymentFailed(err) || d.Status != StatusFailure || !strings.Contains(d.Message, "replicaCount is required") {
		t.Fatalf("want a failed deployment with Helm's message, got %+v, %v", d, err)
	}
	if l := must[[]Instance](t)(c.ListInstances(x, InstanceFilter{AppID: w.app.ID})); l[0].LastDeployment == d.ID {
		t.Fatalf("a failed deployment changed the instance: %+v", l)
	}

	// switched off at run time through the test-only route
	if got := refservertest.PutConfig(t, srv.URL, c.Token(), map[string]any{"async": false}); got["async"] != false {
		t.Fatalf("test config: %v", got)
	}
	check(t, c.DeleteAppConfig(x, w.app.ID, w.pe.ID))
	if d := must[*Deployment](t)(c.CreateDeployment(x, w.deployable)); d.Status != StatusSuccess {
		t.Fatalf("sync again: %+v", d)
	}
}

func TestAsyncResumesAfterRestart(t *testing.T) {
	dir := t.TempDir()
	srv, c := start(t, refserver.Options{DataDir: dir, Async: true, AsyncDuration: time.Hour})
	x := ctx(t)
	w := newWorld(t, c, "resume")
	d := must[*Deployment](t)(c.CreateDeployment(x, w.deployable))
	tok := c.Token()
	srv.Stop()
	srv2 := refservertest.Start(t, refserver.Options{DataDir: dir, Async: true, AsyncDuration: 100 * time.Millisecond})
	c2 := mustClient(t, Options{BaseURL: srv2.URL, Token: tok})
	if d = must[*Deployment](t)(c2.WaitDeployment(x, d.ID)); d.Status != StatusSuccess {
		t.Fatalf("resumed deployment: %+v", d)
	}
}

func TestDroppedDeploymentPostIsNotRepeated(t *testing.T) {
	for _, kind := range []string{refserver.FaultDropAfter, refserver.FaultDropBefore} {
		t.Run(kind, func(t *testing.T) {
			srv, c := start(t, refserver.Options{})
			x := ctx(t)
			w := newWorld(t, c, "drop")
			refservertest.SetFaults(t, srv.URL, c.Token(), "route=POST /v1/deployments,kind="+kind+",limit=1")
			d, err := c.CreateDeployment(x, w.deployable)
			if err != nil {
				t.Fatal(err)
			}
			l := must[[]Deployment](t)(c.ListDeployments(x, DeploymentFilter{AppID: w.app.ID}))
			if len(l) != 1 || l[0].ID != d.ID {
				t.Fatalf("want exactly the one deployment, got %+v", l)
			}
		})
	}
	t.Run("always dropped", func(t *testing.T) {
		srv, c := start(t, refserver.Options{})
		x := ctx(t)
		w := newWorld(t, c, "drop")
		refservertest.SetFaults(t, srv.URL, c.Token(), "route=POST /v1/deployments,kind=drop-before")
		_, err := c.CreateDeployment(x, w.deployable)
		var te *transportError
		if !errors.As(err, &te) || !strings.Contains(err.Error(), "outcome") {
			t.Fatalf("want an unknown-outcome error, got %v", err)
		}
	})
}

// A rollout of the same chart version a moment after the previous one (new
// values): when its POST is lost before the server sees it, the previous
// deployment — the same app, project-env, chart, version and description,
// made within the clock slack — is never taken for it; it is posted again.
func TestDroppedRolloutIsNotThePrevious(t *testing.T) {
	srv, c := start(t, refserver.Options{})
	x := ctx(t)
	w := newWorld(t, c, "again")
	prev, err := c.CreateDeployment(x, w.deployable)
	if err != nil {
		t.Fatal(err)
	}
	refservertest.SetFaults(t, srv.URL, c.Token(), "route=POST /v1/deployments,kind=drop-before,limit=1")
	in := w.deployable
	in.After = prev.ID
	d, err := c.CreateDeployment(x, in)
	if err != nil {
		t.Fatal(err)
	}
	l := must[[]Deployment](t)(c.ListDeployments(x, DeploymentFilter{AppID: w.app.ID}))
	if d.ID == prev.ID || len(l) != 2 || l[0].ID != d.ID {
		t.Fatalf("the rollout is deployment %d (the previous is %d); deployments %+v: want the new one, and two in all", d.ID, prev.ID, l)
	}
}

func TestFaults(t *testing.T) {
	srv, c := start(t, refserver.Options{Faults: []refserver.Fault{{Route: "GET /v1/clusters", Kind: refserver.Fault503, RetryAfter: 7}}})
	x := ctx(t)
	check(t, c.Login(x))
	tok := c.Token()
	status, body, hdr := raw(t, "GET", srv.URL+"/v1/clusters", tok, "")
	if status != 503 || hdr.Get("Retry-After") != "7" || body["error_code"] == nil {
		t.Fatalf("503 from options: %d %v %v", status, hdr, body)
	}
	refservertest.SetFaults(t, srv.URL, tok, "route=GET /v1/projects/*,kind=429,rate=0.5", "route=GET /v1/envs,kind=500", "route=GET /v1/apps,latency=150ms")
	var got []int
	for range 4 {
		s, _, h := raw(t, "GET", srv.URL+"/v1/projects/1", tok, "")
		got = append(got, s)
		if s == 429 && h.Get("Retry-After") != "1" {
			t.Errorf("429 without Retry-After")
		}
	}
	if fmt.Sprint(got) != "[404 429 404 429]" {
		t.Errorf("rate 0.5 should hit every second request: %v", got)
	}
	if s, _, _ := raw(t, "GET", srv.URL+"/v1/envs", tok, ""); s != 500 {
		t.Errorf("500 fault: %d", s)
	}
	if s, _, _ := raw(t, "GET", srv.URL+"/v1/clusters", tok, ""); s != 200 {
		t.Errorf("faults replaced: %d", s)
	}
	t0 := time.Now()
	if s, _, _ := raw(t, "GET", srv.URL+"/v1/apps", tok, ""); s != 200 || time.Since(t0) < 150*time.Millisecond {
		t.Errorf("latency: %d after %v", s, time.Since(t0))
	}
	if s, _, _ := raw(t, "GET", srv.URL+"/health", "", ""); s != 200 {
		t.Errorf("health is never disturbed: %d", s)
	}
	status, body, _ = raw(t, "GET", srv.URL+"/v1/_test/config", tok, "")
	if status != 200 || len(body["faults"].([]any)) != 3 {
		t.Errorf("test config: %v", body)
	}
	status, _, _ = raw(t, "PUT", srv.URL+"/v1/_test/config", tok, `{"faults": ["kind=teapot"]}`)
	if status != 400 {
		t.Errorf("bad fault: %d", status)
	}
	refservertest.SetFaults(t, srv.URL, tok)
	if s, _, _ := raw(t, "GET", srv.URL+"/v1/envs", tok, ""); s != 200 {
		t.Errorf("faults cleared: %d", s)
	}
}

func TestChartUploads(t *testing.T) {
	srv, c := start(t, refserver.Options{})
	x := ctx(t)
	check(t, c.Login(x))
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("chart", "multi-0.1.0.tgz")
	_, _ = fw.Write(refserver.TestChart("multi", "0.1.0"))
	_ = mw.Close()
	req, _ := http.NewRequest("POST", srv.URL+"/v1/charts", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+c.Token())
	if s := do(t, req); s != 201 {
		t.Fatalf("multipart upload: %d", s)
	}
	if ch := must[*Chart](t)(c.GetChart(x, "multi", "0.1.0")); ch.AppVersion != "1.0" {
		t.Fatalf("chart: %+v", ch)
	}
	badVersion, _ := refserver.BuildChart("bad", map[string]string{"Chart.yaml": "apiVersion: v2\nname: bad\nversion: 1.0.0-my_branch\n"})
	if _, err := c.UploadChart(x, badVersion); !isBadRequest(err) || !strings.Contains(err.Error(), "version") {
		t.Fatalf("a non-SemVer chart version: %v", err)
	}
}
