package galaxias_test

import (
	"context"
	"testing"

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/acctest"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/galaxiasapi"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/refserver"
)

// records makes Galaxias records through the API for a test, outside
// Terraform, and deletes them when it ends, the last made first. A server
// of the rock dialect keeps some: a project environment that ever had an
// app config cannot be deleted there (412), nor what it belongs to; those
// are logged and stay on the test's server.
type records struct {
	t   *testing.T
	api *client.Client
	// token returns the token api sends now, for the reference server's
	// test-only routes.
	token func() string
	ctx   context.Context
	// kubeconfig returns a kubeconfig the server accepts for a cluster.
	kubeconfig func(marker string) string
	// push puts a chart version where the server reads charts from.
	push func(name, version string)
}

// stackRecords makes records on the stack's Galaxias server.
func stackRecords(t *testing.T) records {
	acctest.PreCheckGalaxias(t)
	return records{
		t: t, api: acctest.Galaxias(t), ctx: context.Background(),
		token:      func() string { return acctest.Env(t, "GALAXIAS_TOKEN") },
		kubeconfig: func(marker string) string { return acctest.Kubeconfig(t, marker) },
		push: func(name, version string) {
			acctest.PushChart(t, name, version, refserver.TestChart(name, version))
		},
	}
}

func (r records) cleanup(what string, del func() error) {
	r.t.Cleanup(func() {
		if err := del(); err != nil && !client.IsNotFound(err) {
			r.t.Logf("cleanup: %s stays on the test server: %.160s", what, err.Error())
		}
	})
}

func (r records) project(name, desc string) *client.Project {
	p := must[*client.Project](r.t)(r.api.CreateProject(r.ctx, client.ProjectInput{Name: name, Description: desc}))
	r.cleanup("project "+name, func() error { return r.api.DeleteProject(r.ctx, p.ID) })
	return p
}

func (r records) cluster(name string) *client.Cluster {
	c := must[*client.Cluster](r.t)(r.api.CreateCluster(r.ctx, client.ClusterInput{Name: name, Config: r.kubeconfig(name)}))
	r.cleanup("cluster "+name, func() error { return r.api.DeleteCluster(r.ctx, c.ID) })
	return c
}

func (r records) env(clusterID int64, ns, desc string) *client.Env {
	e := must[*client.Env](r.t)(r.api.CreateEnv(r.ctx, client.EnvInput{ClusterID: clusterID, Namespace: ns, Description: desc}))
	r.cleanup("env "+ns, func() error { return r.api.DeleteEnv(r.ctx, e.ID) })
	return e
}

func (r records) projectEnv(projectID, envID int64, name, desc string) *client.ProjectEnv {
	pe := must[*client.ProjectEnv](r.t)(r.api.CreateProjectEnv(r.ctx, projectID,
		client.ProjectEnvInput{EnvID: envID, Name: name, Description: desc}))
	r.cleanup("project-env "+pe.Name, func() error { return r.api.DeleteProjectEnv(r.ctx, projectID, pe.ID) })
	return pe
}

func (r records) app(in client.AppInput) *client.App {
	a := must[*client.App](r.t)(r.api.CreateApp(r.ctx, in))
	r.cleanup("app "+in.Name, func() error { return r.api.DeleteApp(r.ctx, a.ID) })
	return a
}

// config sets an app's values for a project-env (removed safely at the end).
func (r records) config(appID, peID int64, values string) *client.AppConfig {
	c := must[*client.AppConfig](r.t)(r.api.PutAppConfig(r.ctx, appID, peID, values))
	r.cleanup("app config", func() error { return galaxiasapi.DeleteAppConfig(r.ctx, r.api, appID, peID) })
	return c
}

func (r records) chart(name, version string) { r.push(name, version) }

// deployable is an app ready to deploy: project, cluster, env, project-env,
// app, its values, and chart versions in the repository, all made through
// the API.
type deployable struct {
	project *client.Project
	cluster *client.Cluster
	env     *client.Env
	pe      *client.ProjectEnv
	app     *client.App
}

func (r records) deployable(name, values string, versions ...string) *deployable {
	d := &deployable{}
	d.project = r.project(name, "")
	d.cluster = r.cluster(name)
	d.env = r.env(d.cluster.ID, "ns-"+name, "")
	d.pe = r.projectEnv(d.project.ID, d.env.ID, "", "")
	d.app = r.app(client.AppInput{ProjectID: d.project.ID, Name: name})
	r.config(d.app.ID, d.pe.ID, values)
	for _, v := range versions {
		r.chart(name, v)
	}
	return d
}
