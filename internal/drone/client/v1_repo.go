package client

import (
	"context"
	"net/http"

	"github.com/drone/drone-go/drone"
)

type v1Repos struct{ c *Client }

func repoPath(owner, name string) (string, error) { return Path("api", "repos", owner, name) }

// getRepo1 exchanges one request for a repository and checks its slug.
func getRepo1(ctx context.Context, c *Client, method, path string, in any) (*drone.Repo, error) {
	var r drone.Repo
	if err := c.Do(ctx, method, path, in, &r); err != nil {
		return nil, err
	}
	if r.Slug == "" {
		return nil, c.missing(method, path, "slug")
	}
	return &r, nil
}

func (a v1Repos) Sync(ctx context.Context) error {
	a.c.syncMu.Lock()
	defer a.c.syncMu.Unlock()
	return a.c.Do(ctx, http.MethodPost, "/api/user/repos", nil, nil)
}

func (a v1Repos) List(ctx context.Context) ([]drone.Repo, error) {
	var repos []drone.Repo
	if err := a.c.Do(ctx, http.MethodGet, "/api/user/repos", nil, &repos); err != nil {
		return nil, err
	}
	active := []drone.Repo{}
	for _, r := range repos {
		if r.Slug == "" {
			return nil, a.c.missing(http.MethodGet, "/api/user/repos", "slug")
		}
		if r.Active {
			active = append(active, r)
		}
	}
	return active, nil
}

func (a v1Repos) Get(ctx context.Context, owner, name string) (*drone.Repo, error) {
	p, err := repoPath(owner, name)
	if err != nil {
		return nil, err
	}
	return getRepo1(ctx, a.c, http.MethodGet, p, nil)
}

func (a v1Repos) Enable(ctx context.Context, owner, name string) (*drone.Repo, error) {
	p, err := repoPath(owner, name)
	if err != nil {
		return nil, err
	}
	return getRepo1(ctx, a.c, http.MethodPost, p, nil)
}

func (a v1Repos) Update(ctx context.Context, owner, name string, in drone.RepoPatch) (*drone.Repo, error) {
	p, err := repoPath(owner, name)
	if err != nil {
		return nil, err
	}
	return getRepo1(ctx, a.c, http.MethodPatch, p, &in)
}

func (a v1Repos) Disable(ctx context.Context, owner, name string, remove bool) error {
	p, err := repoPath(owner, name)
	if err != nil {
		return err
	}
	if remove {
		p += "?remove=true"
	}
	return a.c.deleteIfPresent(ctx, p)
}
