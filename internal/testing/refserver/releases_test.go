package refserver_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/galaxiasapi"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/refserver"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/refserver/refservertest"
)

// The test-only route answers what an instance was last rendered from: the
// values of its last deployment and the manifest, in both deployment modes;
// a failed render changes nothing.
func TestReleaseRoute(t *testing.T) {
	for _, async := range []bool{false, true} {
		t.Run(fmt.Sprintf("async=%v", async), func(t *testing.T) {
			srv := refservertest.Start(t, refserver.Options{Async: async, AsyncDuration: 50 * time.Millisecond})
			ctx := context.Background()
			hc, spy := galaxiasapi.Spy(nil)
			c, err := client.New(client.Options{BaseURL: srv.URL, Username: refservertest.AdminName,
				Password: refservertest.AdminPassword, PollInterval: 20 * time.Millisecond, HTTPClient: hc})
			if err != nil {
				t.Fatal(err)
			}
			check := func(err error) {
				t.Helper()
				if err != nil {
					t.Fatal(err)
				}
			}
			p, err := c.CreateProject(ctx, client.ProjectInput{Name: "p"})
			check(err)
			cl, err := c.CreateCluster(ctx, client.ClusterInput{Name: "c", Config: "apiVersion: v1\nkind: Config\n"})
			check(err)
			env, err := c.CreateEnv(ctx, client.EnvInput{ClusterID: cl.ID, Namespace: "ns"})
			check(err)
			pe, err := c.CreateProjectEnv(ctx, p.ID, client.ProjectEnvInput{EnvID: env.ID})
			check(err)
			app, err := c.CreateApp(ctx, client.AppInput{ProjectID: p.ID, Name: "web"})
			check(err)
			check(galaxiasapi.UploadChart(ctx, srv.URL, spy.Token(), refserver.TestChart("web", "1.0.0")))
			deploy := func(values string) (*client.Deployment, error) {
				_, err := c.PutAppConfig(ctx, app.ID, pe.ID, values)
				check(err)
				return galaxiasapi.Deploy(ctx, c, client.DeploymentInput{AppID: app.ID, ProjectEnvID: pe.ID, ChartName: "web", ChartVersion: "1.0.0"})
			}
			get := func(id int64) (int, refserver.Release) {
				req, _ := http.NewRequest("GET", fmt.Sprintf("%s/v1/_test/instances/%d/release", srv.URL, id), nil)
				req.Header.Set("Authorization", "Bearer "+spy.Token())
				resp, err := http.DefaultClient.Do(req)
				check(err)
				defer resp.Body.Close()
				var r refserver.Release
				_ = json.NewDecoder(resp.Body).Decode(&r)
				return resp.StatusCode, r
			}

			d, err := deploy("replicaCount: 3\n")
			check(err)
			list, err := c.ListAppInstances(ctx, app.ID)
			check(err)
			if len(list) != 1 {
				t.Fatalf("instances: %+v", list)
			}
			status, rel := get(list[0].ID)
			if status != 200 || rel.DeploymentID != d.ID || rel.Name != "web-ns" || rel.Values != "replicaCount: 3\n" ||
				!strings.Contains(rel.Manifest, `replicas: "3"`) || !strings.Contains(rel.Manifest, "# Source: web/templates/configmap.yaml") {
				t.Fatalf("release: %d %+v", status, rel)
			}
			if _, err := deploy("replicaCount: null\n"); !client.IsDeploymentFailed(err) {
				t.Fatalf("a failed render: %v", err)
			}
			if _, after := get(list[0].ID); after != rel {
				t.Fatalf("a failed render changed the release: %+v", after)
			}
			if status, _ := get(list[0].ID + 100); status != 404 {
				t.Fatalf("unknown instance: %d", status)
			}
		})
	}
}
