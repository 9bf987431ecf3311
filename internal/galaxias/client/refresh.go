package client

import (
	"context"

	"github.com/galaxias/terraform-provider-galaxias/internal/batch"
)

// refreshLists serve the reads of a refresh from one list per parent (see
// package batch): the apps of a project, the envs of a cluster, the
// project-envs of a project, the users (one list for all). Each list answer holds every field its
// record's own read answers, on both servers. What no list holds (an app's
// values, a cluster's kubeconfig, a deployment's status) is read one by
// one.
type refreshLists struct {
	apps        *batch.Lists[App]
	envs        *batch.Lists[Env]
	projectEnvs *batch.Lists[ProjectEnv]
	users       *batch.Lists[User]
}

func newRefreshLists() refreshLists {
	return refreshLists{
		apps:        batch.New[App](batch.TTL),
		envs:        batch.New[Env](batch.TTL),
		projectEnvs: batch.New[ProjectEnv](batch.TTL),
		users:       batch.New[User](batch.TTL),
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

// readListed reads record id of parent for a refresh from lists: from the
// parent's list (listOf), shared with the other records of the parent read
// meanwhile, or with get when the list lacks it. A parent of 0 (not known
// yet: the record was imported by its id) reads it with alone.
func readListed[T any](ctx context.Context, lists *batch.Lists[T], parent, id int64,
	listOf func(context.Context, int64) ([]T, error), idOf func(*T) int64, get, alone batch.ReadFunc[T],
) (*T, error) {
	if parent == 0 {
		return alone(ctx)
	}
	list := func(ctx context.Context) (map[string]T, error) {
		l, err := listOf(ctx, parent)
		return byID(l, idOf), err
	}
	return lists.Read(ctx, itoa(parent), itoa(id), list, get)
}

// ReadApp reads an app of a project for a refresh: from the project's app
// list, shared with the other apps of the project read meanwhile. A
// projectID of 0 (not known yet: imported by id) reads the app by its id.
func (c *Client) ReadApp(ctx context.Context, projectID, id int64) (*App, error) {
	get := func(ctx context.Context) (*App, error) { return c.GetApp(ctx, id) }
	return readListed(ctx, c.lists.apps, projectID, id, c.ListProjectApps, func(a *App) int64 { return a.ID }, get, get)
}

// ReadEnv reads an env of a cluster for a refresh, from the cluster's env
// list. A clusterID of 0 (not known yet: imported by id) reads the env by
// its id.
func (c *Client) ReadEnv(ctx context.Context, clusterID, id int64) (*Env, error) {
	get := func(ctx context.Context) (*Env, error) { return c.GetEnv(ctx, id) }
	return readListed(ctx, c.lists.envs, clusterID, id, c.ListClusterEnvs, func(e *Env) int64 { return e.ID }, get, get)
}

// ReadProjectEnv reads a project-env of a project for a refresh, from the
// project's project-env list. A projectID of 0 (not known yet: imported by
// the id alone) finds it with LookupProjectEnv.
func (c *Client) ReadProjectEnv(ctx context.Context, projectID, id int64) (*ProjectEnv, error) {
	return readListed(ctx, c.lists.projectEnvs, projectID, id, c.ListProjectEnvs, func(pe *ProjectEnv) int64 { return pe.ID },
		func(ctx context.Context) (*ProjectEnv, error) { return c.GetProjectEnv(ctx, projectID, id) },
		func(ctx context.Context) (*ProjectEnv, error) { return c.LookupProjectEnv(ctx, id) })
}

// ReadUser reads a user for a refresh: from the user list (every page),
// shared by every user read meanwhile. A user the list lacks is read with
// GetUser, which tells a user deleted on the re-implementation (still
// answered by id, left out of the list) from one the list missed.
func (c *Client) ReadUser(ctx context.Context, id int64) (*User, error) {
	list := func(ctx context.Context) (map[string]User, error) {
		l, err := c.ListUsers(ctx, "")
		return byID(l, func(u *User) int64 { return u.ID }), err
	}
	return c.lists.users.Read(ctx, "", itoa(id), list, func(ctx context.Context) (*User, error) { return c.GetUser(ctx, id) })
}
