package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// v08Secrets are the repository secrets of Drone 0.8.
type v08Secrets struct {
	c    *Client
	info ServerInfo
}

// secret08 is a Drone 0.8 secret. An empty event list means every event,
// pull requests included; an empty image list means every image. The value
// is never returned.
type secret08 struct {
	Name   string   `json:"name"`
	Value  string   `json:"value,omitempty"`
	Images []string `json:"image"`
	Events []string `json:"event"`
}

func decodeSecret08(s *secret08) Secret {
	events := slices.Clone(s.Events)
	slices.Sort(events)
	images := slices.Clone(s.Images)
	slices.Sort(images)
	return Secret{
		Name:        s.Name,
		PullRequest: len(events) == 0 || slices.Contains(events, EventPullRequest),
		Events:      events,
		Images:      images,
	}
}

// encodeSecret08 is the body of a create or update. The events are always
// explicit: an empty list would expose the secret to pull requests.
func encodeSecret08(in SecretInput) (secret08, error) {
	if in.PullRequestPush {
		return secret08{}, fmt.Errorf("drone 0.8 secrets have no pull_request_push")
	}
	events := in.Events
	if len(events) == 0 {
		events = DefaultSecretEvents08(in.PullRequest)
	}
	if slices.Contains(events, EventPullRequest) != in.PullRequest {
		return secret08{}, fmt.Errorf("secret %q: the events %v and pull requests allowed = %v disagree", in.Name, events, in.PullRequest)
	}
	body := secret08{Name: in.Name, Events: events, Images: in.Images}
	if body.Images == nil {
		body.Images = []string{}
	}
	if in.Value != nil {
		body.Value = *in.Value
	}
	return body, nil
}

func (a v08Secrets) path(scope SecretScope, name ...string) (string, error) {
	if scope.Repo == "" {
		return "", &UnsupportedError{Server: a.info.Name(), What: "organisation secrets", Needs: "Drone ≥ 1.0"}
	}
	return scope.path(name...)
}

var secret08ID = identity[secret08]{"name", func(s *secret08) string { return s.Name }}

// getSecret08 exchanges one request for a secret.
func getSecret08(ctx context.Context, c *Client, method, path string, in any) (*Secret, error) {
	s, err := one(ctx, c, secret08ID, method, path, in)
	if err != nil {
		return nil, err
	}
	out := decodeSecret08(s)
	return &out, nil
}

func (a v08Secrets) List(ctx context.Context, scope SecretScope) ([]Secret, error) {
	p, err := a.path(scope)
	if err != nil {
		return nil, err
	}
	secrets, err := list(ctx, a.c, secret08ID, p)
	if err != nil {
		return nil, err
	}
	out := make([]Secret, 0, len(secrets))
	for i := range secrets {
		out = append(out, decodeSecret08(&secrets[i]))
	}
	return out, nil
}

func (a v08Secrets) Get(ctx context.Context, scope SecretScope, name string) (*Secret, error) {
	p, err := a.path(scope, name)
	if err != nil {
		return nil, err
	}
	return getSecret08(ctx, a.c, http.MethodGet, p, nil)
}

func (a v08Secrets) Create(ctx context.Context, scope SecretScope, in SecretInput) (*Secret, error) {
	p, err := a.path(scope)
	if err != nil {
		return nil, err
	}
	if _, err := Path(in.Name); err != nil {
		return nil, err
	}
	body, err := encodeSecret08(in)
	if err != nil {
		return nil, err
	}
	return getSecret08(ctx, a.c, http.MethodPost, p, &body)
}

// Update patches a secret. 0.8 ignores empty event and image lists in a
// patch, so a change to "no images" cannot be made this way (the resource
// replaces the secret instead); the answer is checked so that no change is
// silently dropped.
func (a v08Secrets) Update(ctx context.Context, scope SecretScope, in SecretInput) (*Secret, error) {
	p, err := a.path(scope, in.Name)
	if err != nil {
		return nil, err
	}
	body, err := encodeSecret08(in)
	if err != nil {
		return nil, err
	}
	got, err := getSecret08(ctx, a.c, http.MethodPatch, p, &body)
	if err != nil {
		return nil, err
	}
	want := decodeSecret08(&body)
	if !slices.Equal(got.Events, want.Events) || !slices.Equal(got.Images, want.Images) {
		return nil, fmt.Errorf("%s accepted the update of secret %q but kept events %v and images %v instead of "+
			"%v and %v", a.info.Name(), in.Name, got.Events, got.Images, want.Events, want.Images)
	}
	return got, nil
}

// Delete deletes a secret. 0.8 answers 500 ("sql: no rows in result set")
// for one that does not exist, and a 500 is retried: look first.
func (a v08Secrets) Delete(ctx context.Context, scope SecretScope, name string) error {
	p, err := a.path(scope, name)
	if err != nil {
		return err
	}
	if _, err := getSecret08(ctx, a.c, http.MethodGet, p, nil); IsNotFound(err) {
		return nil
	}
	err = a.c.Do(ctx, http.MethodDelete, p, nil, nil)
	if IsNotFound(err) || isNoRows(err) {
		return nil
	}
	return err
}

// isNoRows reports Drone 0.8's answer to the deletion of a missing secret.
func isNoRows(err error) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && apiErr.Status == http.StatusInternalServerError &&
		strings.Contains(apiErr.Message, "no rows")
}
