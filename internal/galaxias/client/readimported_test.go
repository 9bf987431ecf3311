package client

import (
	"testing"
	"time"

	"github.com/galaxias/terraform-provider-galaxias/internal/testing/refserver"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/refserver/refservertest"
)

// An object imported by its id alone has no parent in state yet (0): the
// refresh reads of the client then read it by its id, on both dialects (the
// re-implementation has no GET /v1/project-envs/{id}: the client looks
// through every project's bindings).
func TestReadImportedByID(t *testing.T) {
	for _, dialect := range []string{refserver.DialectContract, refserver.DialectRock} {
		t.Run(dialect, func(t *testing.T) {
			srv := refservertest.Start(t, refserver.Options{Dialect: dialect, TokenExpire: time.Hour})
			c := mustClient(t, Options{BaseURL: srv.URL, Username: refservertest.AdminName, Password: refservertest.AdminPassword})
			x := ctx(t)
			cl := must[*Cluster](t)(c.CreateCluster(x, ClusterInput{Name: "imp", Config: srv.Kubeconfig}))
			env := must[*Env](t)(c.CreateEnv(x, EnvInput{ClusterID: cl.ID, Namespace: "imp-ns"}))
			p := must[*Project](t)(c.CreateProject(x, ProjectInput{Name: "imp"}))
			pe := must[*ProjectEnv](t)(c.CreateProjectEnv(x, p.ID, ProjectEnvInput{EnvID: env.ID}))
			app := must[*App](t)(c.CreateApp(x, AppInput{ProjectID: p.ID, Name: "imp"}))

			if a := must[*App](t)(c.ReadApp(x, 0, app.ID)); a.ID != app.ID || a.ProjectID != p.ID || a.Name != "imp" {
				t.Errorf("ReadApp(0, %d) = %+v", app.ID, a)
			}
			if e := must[*Env](t)(c.ReadEnv(x, 0, env.ID)); e.ID != env.ID || e.ClusterID != cl.ID || e.Namespace != "imp-ns" {
				t.Errorf("ReadEnv(0, %d) = %+v", env.ID, e)
			}
			if got := must[*ProjectEnv](t)(c.ReadProjectEnv(x, 0, pe.ID)); got.ID != pe.ID || got.ProjectID != p.ID || got.EnvID != env.ID {
				t.Errorf("ReadProjectEnv(0, %d) = %+v", pe.ID, got)
			}
			if _, err := c.ReadApp(x, 0, app.ID+1000); !IsNotFound(err) {
				t.Errorf("ReadApp(0, unknown id): %v, want not found", err)
			}
		})
	}
}
