package client

import (
	"context"
	"fmt"
	"net/http"

	"github.com/drone/drone-go/drone"
)

type v08Repos struct{ c *Client }

// repo08 is a repository as Drone 0.8 answers it: no slug and no uid, the
// pipeline file is config_file, protected is gated, and the allow_* flags
// are plural here (allow_pr, allow_tags, allow_deploys) but singular in a
// patch.
type repo08 struct {
	Owner      string `json:"owner"`
	Name       string `json:"name"`
	FullName   string `json:"full_name"`
	Link       string `json:"link_url"`
	SCM        string `json:"scm"`
	Clone      string `json:"clone_url"`
	Branch     string `json:"default_branch"`
	Timeout    int64  `json:"timeout"`
	Visibility string `json:"visibility"`
	Private    bool   `json:"private"`
	Trusted    bool   `json:"trusted"`
	Gated      bool   `json:"gated"`
	Active     bool   `json:"active"`
	Config     string `json:"config_file"`
}

// repoPatch08 is what Drone 0.8's repository update honours.
type repoPatch08 struct {
	Config     *string `json:"config_file,omitempty"`
	Trusted    *bool   `json:"trusted,omitempty"`
	Gated      *bool   `json:"gated,omitempty"`
	Timeout    *int64  `json:"timeout,omitempty"`
	Visibility *string `json:"visibility,omitempty"`
}

func decodeRepo08(r *repo08) drone.Repo {
	return drone.Repo{
		Namespace:  r.Owner,
		Name:       r.Name,
		Slug:       r.FullName,
		SCM:        r.SCM,
		HTTPURL:    r.Clone,
		Link:       r.Link,
		Branch:     r.Branch,
		Private:    r.Private,
		Visibility: r.Visibility,
		Active:     r.Active,
		Config:     r.Config,
		Trusted:    r.Trusted,
		Protected:  r.Gated,
		Timeout:    r.Timeout,
	}
}

// encodeRepoPatch08 maps a patch to 0.8's names. The settings 0.8 does not
// have may only be left out or at their defaults: 0.8 would ignore them.
func encodeRepoPatch08(p drone.RepoPatch) (repoPatch08, error) {
	for _, s := range []struct {
		name string
		set  bool
	}{
		{"throttle", p.Throttle != nil && *p.Throttle != 0},
		{"ignore_forks", p.IgnoreForks != nil && *p.IgnoreForks},
		{"ignore_pull_requests", p.IgnorePulls != nil && *p.IgnorePulls},
		{"auto_cancel_pull_requests", p.CancelPulls != nil && *p.CancelPulls},
		{"auto_cancel_pushes", p.CancelPush != nil && *p.CancelPush},
		{"auto_cancel_running", p.CancelRunning != nil && *p.CancelRunning},
	} {
		if s.set {
			return repoPatch08{}, fmt.Errorf("drone 0.8 has no repository setting %s: refusing to send a change it would ignore", s.name)
		}
	}
	return repoPatch08{Config: p.Config, Trusted: p.Trusted, Gated: p.Protected, Timeout: p.Timeout, Visibility: p.Visibility}, nil
}

var repo08ID = identity[repo08]{"full_name", func(r *repo08) string { return r.FullName }}

// getRepo08 exchanges one request for a repository.
func getRepo08(ctx context.Context, c *Client, method, path string, in any) (*drone.Repo, error) {
	r, err := one(ctx, c, repo08ID, method, path, in)
	if err != nil {
		return nil, err
	}
	out := decodeRepo08(r)
	return &out, nil
}

// Sync asks 0.8 to refresh the list: it does so on a list with flush=true.
func (a v08Repos) Sync(ctx context.Context) error {
	a.c.syncMu.Lock()
	defer a.c.syncMu.Unlock()
	_, err := list(ctx, a.c, repo08ID, "/api/user/repos?flush=true")
	return err
}

func (a v08Repos) List(ctx context.Context) ([]drone.Repo, error) {
	repos, err := list(ctx, a.c, repo08ID, "/api/user/repos")
	if err != nil {
		return nil, err
	}
	active := []drone.Repo{}
	for i := range repos {
		if repos[i].Active {
			active = append(active, decodeRepo08(&repos[i]))
		}
	}
	return active, nil
}

func (a v08Repos) Get(ctx context.Context, owner, name string) (*drone.Repo, error) {
	p, err := repoPath(owner, name)
	if err != nil {
		return nil, err
	}
	return getRepo08(ctx, a.c, http.MethodGet, p, nil)
}

// Enable activates a repository. 0.8 answers 409 for one already active,
// which is what was asked.
func (a v08Repos) Enable(ctx context.Context, owner, name string) (*drone.Repo, error) {
	p, err := repoPath(owner, name)
	if err != nil {
		return nil, err
	}
	repo, err := getRepo08(ctx, a.c, http.MethodPost, p, nil)
	if status(err) == http.StatusConflict {
		return getRepo08(ctx, a.c, http.MethodGet, p, nil)
	}
	return repo, err
}

func (a v08Repos) Update(ctx context.Context, owner, name string, in drone.RepoPatch) (*drone.Repo, error) {
	p, err := repoPath(owner, name)
	if err != nil {
		return nil, err
	}
	body, err := encodeRepoPatch08(in)
	if err != nil {
		return nil, err
	}
	return getRepo08(ctx, a.c, http.MethodPatch, p, &body)
}

func (a v08Repos) Disable(ctx context.Context, owner, name string, remove bool) error {
	return disableRepo(ctx, a.c, owner, name, remove)
}
