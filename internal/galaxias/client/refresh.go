package client

import (
	"context"

	"github.com/galaxias/terraform-provider-galaxias/internal/batch"
)

// refreshLists serve the reads of a refresh from one list per parent (see
// package batch): the apps of a project, the envs of a cluster, the
// project-envs of a project. Each list answer holds every field its
// record's own read answers, on both servers. What no list holds (an app's
// values, a cluster's kubeconfig, a deployment's status) is read one by
// one.
type refreshLists struct {
	apps        *batch.Lists[App]
	envs        *batch.Lists[Env]
	projectEnvs *batch.Lists[ProjectEnv]
}

func newRefreshLists() refreshLists {
	return refreshLists{
		apps:        batch.New[App](batch.TTL),
		envs:        batch.New[Env](batch.TTL),
		projectEnvs: batch.New[ProjectEnv](batch.TTL),
	}
}

// byID returns records by their id's text.
func byID[T any](list []T, id func(*T) int64) map[string]T {
	out := make(map[string]T, len(list))
	for i := range list {
		out[itoa(id(&list[i]))] = list[i]
	}
	return out
}

// ReadApp reads an app of a project for a refresh: from the project's app
// list, shared with the other apps of the project read meanwhile. A
// projectID of 0 (not known yet: imported by id) reads the app by its id.
func (c *Client) ReadApp(ctx context.Context, projectID, id int64) (*App, error) {
	if projectID == 0 {
		return c.GetApp(ctx, id)
	}
	list := func(ctx context.Context) (map[string]App, error) {
		apps, err := c.ListProjectApps(ctx, projectID)
		return byID(apps, func(a *App) int64 { return a.ID }), err
	}
	read := func(ctx context.Context) (*App, error) { return c.GetApp(ctx, id) }
	return c.lists.apps.Read(ctx, itoa(projectID), itoa(id), list, read)
}

// ReadEnv reads an env of a cluster for a refresh, from the cluster's env
// list. A clusterID of 0 (not known yet: imported by id) reads the env by
// its id.
func (c *Client) ReadEnv(ctx context.Context, clusterID, id int64) (*Env, error) {
	if clusterID == 0 {
		return c.GetEnv(ctx, id)
	}
	list := func(ctx context.Context) (map[string]Env, error) {
		envs, err := c.ListClusterEnvs(ctx, clusterID)
		return byID(envs, func(e *Env) int64 { return e.ID }), err
	}
	read := func(ctx context.Context) (*Env, error) { return c.GetEnv(ctx, id) }
	return c.lists.envs.Read(ctx, itoa(clusterID), itoa(id), list, read)
}

// ReadProjectEnv reads a project-env of a project for a refresh, from the
// project's project-env list. A projectID of 0 (not known yet: imported by
// the id alone) finds it with LookupProjectEnv.
func (c *Client) ReadProjectEnv(ctx context.Context, projectID, id int64) (*ProjectEnv, error) {
	if projectID == 0 {
		return c.LookupProjectEnv(ctx, id)
	}
	list := func(ctx context.Context) (map[string]ProjectEnv, error) {
		pes, err := c.ListProjectEnvs(ctx, projectID)
		return byID(pes, func(pe *ProjectEnv) int64 { return pe.ID }), err
	}
	read := func(ctx context.Context) (*ProjectEnv, error) { return c.GetProjectEnv(ctx, projectID, id) }
	return c.lists.projectEnvs.Read(ctx, itoa(projectID), itoa(id), list, read)
}
