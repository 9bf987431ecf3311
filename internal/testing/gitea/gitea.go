// Package gitea is the project's one client of the Gitea API (/api/v1), the
// SCM of the local stack: the launcher seeds and configures it, the tests
// and the benchmark harness create repositories in it.
package gitea

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Client calls one Gitea server, authenticated by an access token or, to
// create one, by a user's password.
type Client struct {
	URL            string // the server, such as http://127.0.0.1:3000
	Token          string
	User, Password string       // basic authentication when Token is empty
	HTTP           *http.Client // nil: a client with a 60 s timeout
}

var defaultHTTP = &http.Client{Timeout: 60 * time.Second}

// statusError is an answer with a status the caller did not expect.
type statusError struct {
	What   string
	Status int
	Body   string
}

func (e *statusError) Error() string {
	return fmt.Sprintf("gitea: %s: HTTP %d: %s", e.What, e.Status, e.Body)
}

// Expect sends method path (below /api/v1), with in as JSON when not nil. A
// 2xx answer is decoded into out when out is not nil. It returns the
// answer's status, and a *statusError unless the status is among want; err
// is also set when no answer came, or a 2xx answer could not be decoded.
func (c *Client) Expect(ctx context.Context, method, path string, in, out any, want ...int) (int, error) {
	status, body, err := c.exchange(ctx, method, path, in, out)
	if err != nil || slices.Contains(want, status) {
		return status, err
	}
	return status, &statusError{What: method + " " + path, Status: status, Body: body}
}

func (c *Client) exchange(ctx context.Context, method, path string, in, out any) (int, string, error) {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return 0, "", err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimRight(c.URL, "/")+"/api/v1"+path, body)
	if err != nil {
		return 0, "", err
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.Token != "" {
		req.Header.Set("Authorization", "token "+c.Token)
	} else if c.User != "" {
		req.SetBasicAuth(c.User, c.Password)
	}
	hc := c.HTTP
	if hc == nil {
		hc = defaultHTTP
	}
	resp, err := hc.Do(req)
	if err != nil {
		return 0, "", fmt.Errorf("gitea: %s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return resp.StatusCode, "", fmt.Errorf("gitea: %s %s: reading the answer: %w", method, path, err)
	}
	text := string(b)
	if len(text) > 300 {
		text = text[:300] + "..."
	}
	if out != nil && resp.StatusCode/100 == 2 {
		if err := json.Unmarshal(b, out); err != nil {
			return resp.StatusCode, text, fmt.Errorf("gitea: %s %s: decoding %q: %w", method, path, text, err)
		}
	}
	return resp.StatusCode, text, nil
}

// CreateToken creates an access token with every scope for the client's
// user (authenticated by password) and returns it. Names are unique, so
// that a restarted stack can add more.
func (c *Client) CreateToken(ctx context.Context) (string, error) {
	var out struct {
		SHA1 string `json:"sha1"`
	}
	body := map[string]any{"name": fmt.Sprintf("stack-%d", time.Now().UnixNano()), "scopes": []string{"all"}}
	if _, err := c.Expect(ctx, http.MethodPost, "/users/"+c.User+"/tokens", body, &out, http.StatusCreated); err != nil {
		return "", err
	}
	if out.SHA1 == "" {
		return "", fmt.Errorf("gitea: create a token for %s: empty token", c.User)
	}
	return out.SHA1, nil
}

// CreateUserRepo creates a repository of the token's user with an initial
// commit on branch main, and returns owner/name.
func (c *Client) CreateUserRepo(ctx context.Context, owner, name string) (string, error) {
	_, err := c.Expect(ctx, http.MethodPost, "/user/repos",
		map[string]any{"name": name, "auto_init": true, "default_branch": "main"}, nil, http.StatusCreated)
	return owner + "/" + name, err
}

// DeleteRepo deletes a repository; one already gone is not an error.
func (c *Client) DeleteRepo(ctx context.Context, slug string) error {
	_, err := c.Expect(ctx, http.MethodDelete, "/repos/"+slug, nil, nil, http.StatusNoContent, http.StatusNotFound)
	return err
}

// Hook is a repository's webhook.
type Hook struct {
	ID     int64             `json:"id"`
	Active bool              `json:"active"`
	Config map[string]string `json:"config"`
}

// Hooks lists a repository's webhooks (none for a repository that does
// not exist).
func (c *Client) Hooks(ctx context.Context, slug string) ([]Hook, error) {
	var hooks []Hook
	status, err := c.Expect(ctx, http.MethodGet, "/repos/"+slug+"/hooks", nil, &hooks, http.StatusOK, http.StatusNotFound)
	if status == http.StatusNotFound {
		return nil, err
	}
	return hooks, err
}

// Commits maps the first line of each commit message on branch to its SHA
// (the newest commit wins); an empty repository has none.
func (c *Client) Commits(ctx context.Context, slug, branch string) (map[string]string, error) {
	out := map[string]string{}
	for page := 1; page <= 20; page++ {
		q := url.Values{"sha": {branch}, "limit": {"50"}, "page": {fmt.Sprint(page)},
			"stat": {"false"}, "verification": {"false"}, "files": {"false"}}
		var list []struct {
			SHA    string `json:"sha"`
			Commit struct {
				Message string `json:"message"`
			} `json:"commit"`
		}
		status, err := c.Expect(ctx, http.MethodGet, "/repos/"+slug+"/commits?"+q.Encode(), nil, &list,
			http.StatusOK, http.StatusConflict, http.StatusNotFound)
		if err != nil {
			return nil, err
		}
		if status != http.StatusOK {
			return out, nil // an empty repository
		}
		for _, c := range list {
			first, _, _ := strings.Cut(c.Commit.Message, "\n")
			first = strings.TrimSpace(first)
			if _, seen := out[first]; !seen {
				out[first] = c.SHA
			}
		}
		if len(list) < 50 {
			break
		}
	}
	return out, nil
}

// Tree maps every file path on branch to its blob SHA.
func (c *Client) Tree(ctx context.Context, slug, branch string) (map[string]string, error) {
	out := map[string]string{}
	for page := 1; page <= 20; page++ {
		q := url.Values{"recursive": {"true"}, "per_page": {"1000"}, "page": {fmt.Sprint(page)}}
		var t struct {
			Tree []struct {
				Path string `json:"path"`
				Type string `json:"type"`
				SHA  string `json:"sha"`
			} `json:"tree"`
			Truncated bool `json:"truncated"`
		}
		if _, err := c.Expect(ctx, http.MethodGet, "/repos/"+slug+"/git/trees/"+url.PathEscape(branch)+"?"+q.Encode(),
			nil, &t, http.StatusOK); err != nil {
			return nil, err
		}
		for _, e := range t.Tree {
			if e.Type == "blob" {
				out[e.Path] = e.SHA
			}
		}
		if !t.Truncated {
			break
		}
	}
	return out, nil
}
