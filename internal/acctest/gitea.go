package acctest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// Gitea is the SCM of the stack.
type Gitea struct {
	URL, User, Token string
}

// GiteaAdmin returns the stack's Gitea admin.
func GiteaAdmin(t testing.TB) Gitea {
	return Gitea{URL: Env(t, "GITEA_URL"), User: Env(t, "GITEA_USER"), Token: Env(t, "GITEA_TOKEN")}
}

// Do calls the Gitea API and decodes the answer into out; it fails the test
// on a status other than want.
func (g Gitea) Do(t testing.TB, method, path string, in, out any, want int) {
	t.Helper()
	var body io.Reader
	if in != nil {
		b, _ := json.Marshal(in)
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(context.Background(), method, strings.TrimRight(g.URL, "/")+"/api/v1"+path, body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "token "+g.Token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("gitea %s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("gitea %s %s: got %d, want %d: %s", method, path, resp.StatusCode, want, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("gitea %s %s: decoding %s: %v", method, path, b, err)
		}
	}
}

// CreateRepo creates a repository with an initial commit, owned by the
// token's user, and deletes it when the test ends. It returns owner/name.
func (g Gitea) CreateRepo(t testing.TB, name string) string {
	t.Helper()
	g.Do(t, http.MethodPost, "/user/repos", map[string]any{"name": name, "auto_init": true, "default_branch": "main"}, nil, http.StatusCreated)
	t.Cleanup(func() {
		g.Do(t, http.MethodDelete, "/repos/"+g.User+"/"+name, nil, nil, http.StatusNoContent)
	})
	return g.User + "/" + name
}

// Hook is a Gitea webhook.
type Hook struct {
	ID     int64             `json:"id"`
	Active bool              `json:"active"`
	Config map[string]string `json:"config"`
}

// Hooks lists a repository's webhooks.
func (g Gitea) Hooks(t testing.TB, slug string) []Hook {
	t.Helper()
	var hooks []Hook
	g.Do(t, http.MethodGet, "/repos/"+slug+"/hooks", nil, &hooks, http.StatusOK)
	return hooks
}
