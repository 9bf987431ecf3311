package client

import (
	"context"
	"net/http"

	"github.com/drone/drone-go/drone"
)

// v1Secrets are the repository and organisation secrets of Drone 1.x.
type v1Secrets struct{ c *Client }

// secretPatch1 is a Drone 1.x secret update. The flags are always sent,
// false included: drone-go's Secret omits false values, so it cannot turn a
// flag off, and the server applies only the fields present.
type secretPatch1 struct {
	Data            *string `json:"data,omitempty"`
	PullRequest     bool    `json:"pull_request"`
	PullRequestPush bool    `json:"pull_request_push"`
}

// collection returns the route of the scope's secrets.
func (s SecretScope) collection() []string {
	if s.Repo == "" {
		return []string{"api", "secrets", s.Owner}
	}
	return []string{"api", "repos", s.Owner, s.Repo, "secrets"}
}

func (s SecretScope) path(name ...string) (string, error) {
	return Path(append(s.collection(), name...)...)
}

func decodeSecret1(s *drone.Secret) Secret {
	return Secret{Name: s.Name, PullRequest: s.PullRequest, PullRequestPush: s.PullRequestPush}
}

var secret1 = identity[drone.Secret]{"name", func(s *drone.Secret) string { return s.Name }}

// getSecret1 exchanges one request for a secret.
func getSecret1(ctx context.Context, c *Client, method, path string, in any) (*Secret, error) {
	s, err := one(ctx, c, secret1, method, path, in)
	if err != nil {
		return nil, err
	}
	out := decodeSecret1(s)
	return &out, nil
}

func (a v1Secrets) List(ctx context.Context, scope SecretScope) ([]Secret, error) {
	p, err := scope.path()
	if err != nil {
		return nil, err
	}
	secrets, err := list(ctx, a.c, secret1, p)
	if err != nil {
		return nil, err
	}
	out := make([]Secret, 0, len(secrets))
	for i := range secrets {
		out = append(out, decodeSecret1(&secrets[i]))
	}
	return out, nil
}

func (a v1Secrets) Get(ctx context.Context, scope SecretScope, name string) (*Secret, error) {
	p, err := scope.path(name)
	if err != nil {
		return nil, err
	}
	return getSecret1(ctx, a.c, http.MethodGet, p, nil)
}

func (a v1Secrets) Create(ctx context.Context, scope SecretScope, in SecretInput) (*Secret, error) {
	p, err := scope.path()
	if err != nil {
		return nil, err
	}
	if _, err := Path(in.Name); err != nil {
		return nil, err
	}
	body := drone.Secret{Name: in.Name, PullRequest: in.PullRequest, PullRequestPush: in.PullRequestPush}
	if in.Value != nil {
		body.Data = *in.Value
	}
	return getSecret1(ctx, a.c, http.MethodPost, p, &body)
}

func (a v1Secrets) Update(ctx context.Context, scope SecretScope, in SecretInput) (*Secret, error) {
	p, err := scope.path(in.Name)
	if err != nil {
		return nil, err
	}
	body := secretPatch1{Data: in.Value, PullRequest: in.PullRequest, PullRequestPush: in.PullRequestPush}
	return getSecret1(ctx, a.c, http.MethodPatch, p, &body)
}

func (a v1Secrets) Delete(ctx context.Context, scope SecretScope, name string) error {
	p, err := scope.path(name)
	if err != nil {
		return err
	}
	return a.c.deleteIfPresent(ctx, p)
}
