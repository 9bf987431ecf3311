package bench

import (
	"context"
	"fmt"
	"strings"
	"time"

	droneclient "github.com/galaxias/terraform-provider-galaxias/internal/drone/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/httpx"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/gitea"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/stack"
)

// setup creates, outside Terraform and without going through the proxies,
// what the configurations refer to: repos Gitea repositories activated in
// Drone, and a Galaxias project, cluster, environment and project-environment,
// and projects-1 more projects, each with an environment of its own on the
// cluster and their project-environment (fixture.Projects lists them all, the
// first project first). The returned cleanup removes them.
func setup(ctx context.Context, env *stack.Env, prefix string, repos, projects int, logf func(string, ...any)) (fixture, func(), error) {
	fx := fixture{Prefix: prefix}
	var undo []func()
	cleanup := func() {
		for i := len(undo) - 1; i >= 0; i-- {
			undo[i]()
		}
	}
	fail := func(err error) (fixture, func(), error) {
		cleanup()
		return fixture{}, func() {}, err
	}
	hc, err := httpx.New(httpx.Options{Subsystem: "bench", MaxRetries: 2})
	if err != nil {
		return fail(err)
	}

	// Drone: Gitea repositories, synced and activated.
	g := &gitea.Client{URL: env.GiteaURL, Token: env.GiteaToken}
	if repos > 0 {
		for i := range repos {
			name := fmt.Sprintf("%s-r%d", prefix, i)
			slug, err := g.CreateUserRepo(ctx, env.GiteaUser, name)
			if err != nil {
				return fail(err)
			}
			undo = append(undo, func() {
				if err := g.DeleteRepo(context.Background(), slug); err != nil {
					logf("cleanup: %v", err)
				}
			})
			fx.Repos = append(fx.Repos, slug)
		}
		drone := droneclient.NewDialect(droneclient.New(env.DroneServer, env.DroneToken, hc),
			droneclient.ServerInfo{API: droneclient.API1})
		// Drone lists a new Gitea repository after a sync; one that is not
		// listed yet answers 404, and is retried after another sync. One
		// sync serves many repositories.
		if err := drone.Repos.Sync(ctx); err != nil {
			return fail(fmt.Errorf("drone sync: %w", err))
		}
		for _, slug := range fx.Repos {
			owner, name, _ := strings.Cut(slug, "/")
			var err error
			for attempt := 0; attempt < 10; attempt++ {
				if _, err = drone.Repos.Enable(ctx, owner, name); !droneclient.IsNotFound(err) {
					break
				}
				time.Sleep(time.Second)
				if err = drone.Repos.Sync(ctx); err != nil {
					return fail(fmt.Errorf("drone sync: %w", err))
				}
			}
			if err != nil {
				return fail(fmt.Errorf("activating %s in drone: %w", slug, err))
			}
			undo = append(undo, func() {
				if err := drone.Repos.Disable(context.Background(), owner, name, true); err != nil && !droneclient.IsNotFound(err) {
					logf("cleanup: drone %s: %v", slug, err)
				}
			})
		}
	}

	// Galaxias: a token, never a login (a login would rotate the token that
	// other users of the stack hold).
	if env.GalaxiasEndpoint != "" {
		gc, err := client.New(client.Options{BaseURL: env.GalaxiasEndpoint, Token: env.GalaxiasToken, HTTPClient: hc})
		if err != nil {
			return fail(err)
		}
		p, err := gc.CreateProject(ctx, client.ProjectInput{Name: prefix, Description: "bench"})
		if err != nil {
			return fail(fmt.Errorf("galaxias project: %w", err))
		}
		undo = append(undo, func() { logErr(logf, gc.DeleteProject(context.Background(), p.ID)) })
		c, err := gc.CreateCluster(ctx, client.ClusterInput{Name: prefix, Description: "bench", Config: kubeconfig(prefix)})
		if err != nil {
			return fail(fmt.Errorf("galaxias cluster: %w", err))
		}
		undo = append(undo, func() { logErr(logf, gc.DeleteCluster(context.Background(), c.ID)) })
		e, err := gc.CreateEnv(ctx, client.EnvInput{ClusterID: c.ID, Namespace: prefix + "-base", Description: "bench"})
		if err != nil {
			return fail(fmt.Errorf("galaxias environment: %w", err))
		}
		undo = append(undo, func() { logErr(logf, gc.DeleteEnv(context.Background(), e.ID)) })
		pe, err := gc.CreateProjectEnv(ctx, p.ID, client.ProjectEnvInput{EnvID: e.ID, Description: "bench"})
		if err != nil {
			return fail(fmt.Errorf("galaxias project-environment: %w", err))
		}
		undo = append(undo, func() { logErr(logf, gc.DeleteProjectEnv(context.Background(), p.ID, pe.ID)) })
		fx.ProjectID, fx.ClusterID, fx.ProjectEnvID = p.ID, c.ID, pe.ID
		if projects > 1 {
			fx.Projects = []galaxiasProject{{ID: p.ID, ProjectEnvID: pe.ID}}
		}
		for i := 1; i < projects; i++ {
			name := fmt.Sprintf("%s-p%d", prefix, i)
			p, err := gc.CreateProject(ctx, client.ProjectInput{Name: name, Description: "bench"})
			if err != nil {
				return fail(fmt.Errorf("galaxias project %d: %w", i, err))
			}
			undo = append(undo, func() { logErr(logf, gc.DeleteProject(context.Background(), p.ID)) })
			e, err := gc.CreateEnv(ctx, client.EnvInput{ClusterID: c.ID, Namespace: name, Description: "bench"})
			if err != nil {
				return fail(fmt.Errorf("galaxias environment %d: %w", i, err))
			}
			undo = append(undo, func() { logErr(logf, gc.DeleteEnv(context.Background(), e.ID)) })
			pe, err := gc.CreateProjectEnv(ctx, p.ID, client.ProjectEnvInput{EnvID: e.ID, Description: "bench"})
			if err != nil {
				return fail(fmt.Errorf("galaxias project-environment %d: %w", i, err))
			}
			undo = append(undo, func() { logErr(logf, gc.DeleteProjectEnv(context.Background(), p.ID, pe.ID)) })
			fx.Projects = append(fx.Projects, galaxiasProject{ID: p.ID, ProjectEnvID: pe.ID})
		}
	}
	return fx, cleanup, nil
}

func logErr(logf func(string, ...any), err error) {
	if err != nil && !client.IsNotFound(err) {
		logf("cleanup: %v", err)
	}
}

func kubeconfig(name string) string {
	return fmt.Sprintf(`apiVersion: v1
kind: Config
clusters:
  - name: k
    cluster:
      server: https://%s.bench.invalid:6443
users:
  - name: u
    user:
      token: bench
contexts:
  - name: c
    context: {cluster: k, user: u}
current-context: c
`, name)
}
