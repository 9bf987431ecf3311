package galaxiasapi_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/galaxiasapi"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/refserver"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/refserver/refservertest"
)

// status is the answer of a GET with a token.
func status(t *testing.T, u, token string) int {
	t.Helper()
	req, err := http.NewRequest("GET", u, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	return resp.StatusCode
}

// On both dialects: the spy gives the token the client logged in with (the
// test-only routes take it), a chart is deleted through Galaxias by the
// dialect's route, and Deploy makes a deployment that runs the chart.
func TestToolsBothDialects(t *testing.T) {
	for _, dialect := range []string{refserver.DialectContract, refserver.DialectRock} {
		t.Run(dialect, func(t *testing.T) {
			ctx := context.Background()
			srv := refservertest.Start(t, refserver.Options{Dialect: dialect, TokenExpire: time.Hour})
			hc, spy := galaxiasapi.Spy(nil)
			c, err := client.New(client.Options{BaseURL: srv.URL, Username: refservertest.AdminName,
				Password: refservertest.AdminPassword, HTTPClient: hc, PollInterval: 20 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			if spy.Token() != "" {
				t.Fatalf("a token before any request: %q", spy.Token())
			}
			p, err := c.CreateProject(ctx, client.ProjectInput{Name: "p"})
			if err != nil {
				t.Fatal(err)
			}
			if got := status(t, srv.URL+"/v1/_test/requests", spy.Token()); got != http.StatusOK {
				t.Fatalf("the test-only route with the spied token: HTTP %d", got)
			}

			const name, version = "web", "1.0.0"
			chartURL := srv.URL + "/v1/charts/" + url.PathEscape(name) + "/" + version
			if dialect == refserver.DialectRock {
				if err := srv.Server.ChartRepo().Upload(ctx, refserver.TestChart(name, version)); err != nil {
					t.Fatal(err)
				}
				chartURL = srv.URL + "/v1/charts/" + name + "/versions/" + version
			} else if err := galaxiasapi.UploadChart(ctx, srv.URL, spy.Token(), refserver.TestChart(name, version)); err != nil {
				t.Fatal(err)
			}
			if got := status(t, chartURL, spy.Token()); got != http.StatusOK {
				t.Fatalf("GET %s after the upload: HTTP %d", chartURL, got)
			}

			cl, err := c.CreateCluster(ctx, client.ClusterInput{Name: "c", Config: srv.Kubeconfig})
			if err != nil {
				t.Fatal(err)
			}
			env, err := c.CreateEnv(ctx, client.EnvInput{ClusterID: cl.ID, Namespace: "ns"})
			if err != nil {
				t.Fatal(err)
			}
			pe, err := c.CreateProjectEnv(ctx, p.ID, client.ProjectEnvInput{EnvID: env.ID, Name: "pe"})
			if err != nil {
				t.Fatal(err)
			}
			app, err := c.CreateApp(ctx, client.AppInput{ProjectID: p.ID, Name: name})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := c.PutAppConfig(ctx, app.ID, pe.ID, "replicaCount: 1\n"); err != nil {
				t.Fatal(err)
			}
			d, err := galaxiasapi.Deploy(ctx, c, client.DeploymentInput{AppID: app.ID, ProjectEnvID: pe.ID, ChartName: name, ChartVersion: version})
			if err != nil {
				t.Fatal(err)
			}
			if !d.Done() || d.Status == client.StatusFailure {
				t.Fatalf("deployment %+v", d)
			}
			in, err := c.FindInstance(ctx, app.ID, env.ID, name)
			if err != nil || in == nil || in.ChartVersion != version {
				t.Fatalf("the release after Deploy: %+v %v", in, err)
			}

			if err := galaxiasapi.DeleteChart(ctx, c, srv.URL, spy.Token(), name, version); err != nil {
				t.Fatal(err)
			}
			if got := status(t, chartURL, spy.Token()); got == http.StatusOK {
				t.Errorf("GET %s after DeleteChart: HTTP %d", chartURL, got)
			}
			if err := galaxiasapi.UploadChart(ctx, srv.URL, "wrong-token", refserver.TestChart(name, version)); err == nil ||
				!strings.Contains(err.Error(), "HTTP 4") {
				t.Errorf("an upload with a wrong token: %v", err)
			}
		})
	}
}
