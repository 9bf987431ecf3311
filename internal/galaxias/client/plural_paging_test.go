package client

import (
	"fmt"
	"testing"
	"time"

	"github.com/galaxias/terraform-provider-galaxias/internal/testing/refserver"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/refserver/refservertest"
)

// The lists behind galaxias_project_environments and galaxias_releases
// follow every page (the client asks for pages of listPerPage) on both
// dialects, and the re-implementation's release list items, which lack
// app_id and env_id, are attributed to the env.
func TestPluralListsPage(t *testing.T) {
	const n = listPerPage + 1
	for _, dialect := range []string{refserver.DialectContract, refserver.DialectRock} {
		t.Run(dialect, func(t *testing.T) {
			srv := refservertest.Start(t, refserver.Options{Dialect: dialect, TokenExpire: time.Hour})
			c := mustClient(t, Options{BaseURL: srv.URL, Username: refservertest.AdminName, Password: refservertest.AdminPassword})
			x := ctx(t)
			cl := must[*Cluster](t)(c.CreateCluster(x, ClusterInput{Name: "pg", Config: srv.Kubeconfig}))
			p := must[*Project](t)(c.CreateProject(x, ProjectInput{Name: "pg"}))
			var first *ProjectEnv
			for i := range n {
				env := must[*Env](t)(c.CreateEnv(x, EnvInput{ClusterID: cl.ID, Namespace: fmt.Sprintf("pg-%03d", i)}))
				pe := must[*ProjectEnv](t)(c.CreateProjectEnv(x, p.ID, ProjectEnvInput{EnvID: env.ID}))
				if first == nil {
					first = pe
				}
			}
			if pes := must[[]ProjectEnv](t)(c.ListProjectEnvs(x, p.ID)); len(pes) != n {
				t.Fatalf("ListProjectEnvs: %d project-envs, want %d over two pages", len(pes), n)
			}
			const v = "1.0.0-master-abc123"
			for i := range n {
				name := fmt.Sprintf("pg%03d", i)
				a := must[*App](t)(c.CreateApp(x, AppInput{ProjectID: p.ID, Name: name}))
				if dialect == refserver.DialectRock {
					check(t, srv.ChartRepo().Upload(x, refserver.TestChart(name, v)))
				} else {
					must[*Chart](t)(c.UploadChart(x, refserver.TestChart(name, v)))
				}
				must[*AppConfig](t)(c.PutAppConfig(x, a.ID, first.ID, "replicas: 1\n"))
				must[*Deployment](t)(c.Deploy(x, DeploymentInput{AppID: a.ID, ProjectEnvID: first.ID, ChartName: name, ChartVersion: v}))
			}
			list := must[[]Instance](t)(c.ListInstances(x, InstanceFilter{EnvID: first.EnvID}))
			if len(list) != n {
				t.Fatalf("ListInstances(env): %d releases, want %d over two pages", len(list), n)
			}
			for _, in := range list {
				if in.AppID == 0 || in.EnvID != first.EnvID {
					t.Fatalf("release %s not attributed: app %d env %d", in.Name, in.AppID, in.EnvID)
				}
			}
		})
	}
}
