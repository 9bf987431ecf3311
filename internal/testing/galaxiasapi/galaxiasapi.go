// Package galaxiasapi holds what only the tests ask a Galaxias server, next
// to the product client (internal/galaxias/client), which carries only what
// the provider uses: deploying outside Terraform by the provider's own path,
// charts through the contract's chart routes, and the token a client sends
// (for the reference server's test-only routes).
package galaxiasapi

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
)

// Deploy makes a deployment as galaxias_deployment does: CreateDeployment,
// then, if the server works asynchronously, WaitDeployment until its final
// status. A failed deployment is a *client.DeploymentFailedError.
func Deploy(ctx context.Context, c *client.Client, in client.DeploymentInput) (*client.Deployment, error) {
	d, err := c.CreateDeployment(ctx, in)
	if err != nil {
		return d, err
	}
	if d.Status == client.StatusFailure {
		return d, &client.DeploymentFailedError{Deployment: d}
	}
	if d.Done() {
		return d, nil
	}
	return c.WaitDeployment(ctx, d.ID)
}

// TokenSpy is an http.RoundTripper that remembers the bearer token of the
// last request sent through it: the token a client holds now (after its
// own logins), for raw requests beside it.
type TokenSpy struct {
	next  http.RoundTripper
	mu    sync.Mutex
	token string
}

// Spy returns a copy of hc (nil: a default client) whose requests go
// through a TokenSpy: give it to client.Options.HTTPClient.
func Spy(hc *http.Client) (*http.Client, *TokenSpy) {
	out := &http.Client{}
	if hc != nil {
		*out = *hc
	}
	next := out.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	s := &TokenSpy{next: next}
	out.Transport = s
	return out, s
}

// RoundTrip implements http.RoundTripper.
func (s *TokenSpy) RoundTrip(r *http.Request) (*http.Response, error) {
	if tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok && tok != "" {
		s.mu.Lock()
		s.token = tok
		s.mu.Unlock()
	}
	return s.next.RoundTrip(r)
}

// Token is the bearer token of the last request ("" before any).
func (s *TokenSpy) Token() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.token
}

// UploadChart uploads a chart archive (.tgz) through the contract's POST
// /v1/charts (raw body). The re-implementation has no such route: push to
// its chart repository instead.
func UploadChart(ctx context.Context, baseURL, token string, archive []byte) error {
	return call(ctx, "POST", strings.TrimSuffix(baseURL, "/")+"/v1/charts", token, archive, "application/gzip")
}

// DeleteChart deletes one chart version through Galaxias: DELETE
// /v1/charts/{name}/{version} on the contract,
// /v1/charts/{name}/versions/{version} on the re-implementation (the
// dialect is c's).
func DeleteChart(ctx context.Context, c *client.Client, baseURL, token, name, version string) error {
	fl, err := c.Dialect(ctx)
	if err != nil {
		return err
	}
	p := "/v1/charts/" + url.PathEscape(name) + "/" + url.PathEscape(version)
	if fl == client.DialectRock {
		p = "/v1/charts/" + url.PathEscape(name) + "/versions/" + url.PathEscape(version)
	}
	return call(ctx, "DELETE", strings.TrimSuffix(baseURL, "/")+p, token, nil, "")
}

// call sends one request and fails on any answer but a 2xx.
func call(ctx context.Context, method, u, token string, body []byte, ctype string) error {
	req, err := http.NewRequestWithContext(ctx, method, u, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s %s: HTTP %d: %s", method, u, resp.StatusCode, strings.TrimSpace(string(answer)))
	}
	return nil
}

// DeleteAppConfig removes an app's values for a project-environment the
// way the provider does (client.RemoveAppConfig).
func DeleteAppConfig(ctx context.Context, c *client.Client, appID, projectEnvID int64) error {
	_, err := c.RemoveAppConfig(ctx, appID, projectEnvID)
	return err
}
