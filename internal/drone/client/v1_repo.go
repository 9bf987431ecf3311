package client

import (
	"context"
	"net/http"

	"github.com/drone/drone-go/drone"
)

type v1Repos struct{ c *Client }

func repoPath(owner, name string) (string, error) { return Path("api", "repos", owner, name) }

var repo1 = identity[drone.Repo]{"slug", func(r *drone.Repo) string { return r.Slug }}

func (a v1Repos) Sync(ctx context.Context) error {
	a.c.syncMu.Lock()
	defer a.c.syncMu.Unlock()
	return a.c.Do(ctx, http.MethodPost, "/api/user/repos", nil, nil)
}

func (a v1Repos) List(ctx context.Context) ([]drone.Repo, error) {
	repos, err := list(ctx, a.c, repo1, "/api/user/repos")
	if err != nil {
		return nil, err
	}
	active := []drone.Repo{}
	for _, r := range repos {
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
	return one(ctx, a.c, repo1, http.MethodGet, p, nil)
}

func (a v1Repos) Enable(ctx context.Context, owner, name string) (*drone.Repo, error) {
	p, err := repoPath(owner, name)
	if err != nil {
		return nil, err
	}
	return one(ctx, a.c, repo1, http.MethodPost, p, nil)
}

func (a v1Repos) Update(ctx context.Context, owner, name string, in drone.RepoPatch) (*drone.Repo, error) {
	p, err := repoPath(owner, name)
	if err != nil {
		return nil, err
	}
	return one(ctx, a.c, repo1, http.MethodPatch, p, &in)
}

func (a v1Repos) Disable(ctx context.Context, owner, name string, remove bool) error {
	return disableRepo(ctx, a.c, owner, name, remove)
}

// disableRepo is the same in both dialects: DELETE, with remove=true to
// delete Drone's record; a repository Drone does not know is disabled.
func disableRepo(ctx context.Context, c *Client, owner, name string, remove bool) error {
	p, err := repoPath(owner, name)
	if err != nil {
		return err
	}
	if remove {
		p += "?remove=true"
	}
	return c.deleteIfPresent(ctx, p)
}
