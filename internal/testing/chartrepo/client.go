package chartrepo

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"

	"helm.sh/helm/v3/pkg/repo"
)

// Client talks to a ChartMuseum-compatible repository (this package's
// Server, or a real ChartMuseum).
type Client struct {
	BaseURL string       // e.g. http://127.0.0.1:8080, without a trailing slash
	HTTP    *http.Client // nil: http.DefaultClient
}

// Local returns a client that calls h in-process, without a network.
func Local(h http.Handler) *Client {
	return &Client{BaseURL: "http://chartrepo.local", HTTP: &http.Client{Transport: handlerTransport{h}}}
}

type handlerTransport struct{ h http.Handler }

func (t handlerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, r)
	return rec.Result(), nil
}

// Error is a non-2xx answer of the repository.
type Error struct {
	Status int
	Body   string // the raw body, e.g. {"error":"chart not found"}
}

func (e *Error) Error() string {
	var b struct {
		Error string `json:"error"`
	}
	msg := strings.TrimSpace(e.Body)
	if json.Unmarshal([]byte(e.Body), &b) == nil && b.Error != "" {
		msg = b.Error
	}
	return fmt.Sprintf("chart repository: %d %s", e.Status, msg)
}

// StatusOf returns the HTTP status of an *Error, or 0.
func StatusOf(err error) int {
	if e, ok := err.(*Error); ok {
		return e.Status
	}
	return 0
}

func (c *Client) do(ctx context.Context, method, path, contentType string, body []byte) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimSuffix(c.BaseURL, "/")+path, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer func() { _ = resp.Body.Close() }()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode/100 != 2 {
		return out, &Error{Status: resp.StatusCode, Body: string(out)}
	}
	return out, nil
}

// Upload stores a chart archive (POST /api/charts, raw body).
func (c *Client) Upload(ctx context.Context, tgz []byte) error {
	_, err := c.do(ctx, "POST", "/api/charts", "application/octet-stream", tgz)
	return err
}

// All lists every chart's versions (GET /api/charts).
func (c *Client) All(ctx context.Context) (map[string]repo.ChartVersions, error) {
	b, err := c.do(ctx, "GET", "/api/charts", "", nil)
	if err != nil {
		return nil, err
	}
	out := map[string]repo.ChartVersions{}
	return out, json.Unmarshal(b, &out)
}

// Versions lists one chart's versions, newest first (GET /api/charts/{name}).
// The raw body is returned too, for servers that pass it on.
func (c *Client) Versions(ctx context.Context, name string) (repo.ChartVersions, []byte, error) {
	b, err := c.do(ctx, "GET", "/api/charts/"+url.PathEscape(name), "", nil)
	if err != nil {
		return nil, b, err
	}
	var out repo.ChartVersions
	return out, b, json.Unmarshal(b, &out)
}

// Version returns one version's entry (GET /api/charts/{name}/{version}).
func (c *Client) Version(ctx context.Context, name, version string) (*repo.ChartVersion, []byte, error) {
	b, err := c.do(ctx, "GET", "/api/charts/"+url.PathEscape(name)+"/"+url.PathEscape(version), "", nil)
	if err != nil {
		return nil, b, err
	}
	out := new(repo.ChartVersion)
	return out, b, json.Unmarshal(b, out)
}

// Delete removes one version (DELETE /api/charts/{name}/{version}).
func (c *Client) Delete(ctx context.Context, name, version string) error {
	_, err := c.do(ctx, "DELETE", "/api/charts/"+url.PathEscape(name)+"/"+url.PathEscape(version), "", nil)
	return err
}

// Archive downloads a chart archive (GET /charts/<name>-<version>.tgz), as
// `helm upgrade --install NAME REPO/charts/FILE` does.
func (c *Client) Archive(ctx context.Context, name, version string) ([]byte, error) {
	return c.do(ctx, "GET", "/charts/"+url.PathEscape(FileName(name, version)), "", nil)
}
