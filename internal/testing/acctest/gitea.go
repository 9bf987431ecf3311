package acctest

import (
	"context"
	"testing"

	"github.com/galaxias/terraform-provider-galaxias/internal/testing/gitea"
)

// Gitea is the SCM of the stack, as a user with a token (the tooling's one
// Gitea client, failing the test on errors).
type Gitea struct {
	gitea.Client
}

// GiteaAdmin returns the stack's Gitea admin.
func GiteaAdmin(t testing.TB) Gitea {
	return Gitea{gitea.Client{URL: Env(t, "GITEA_URL"), User: Env(t, "GITEA_USER"), Token: Env(t, "GITEA_TOKEN")}}
}

// Do calls the Gitea API and decodes the answer into out; it fails the test
// on a status other than want.
func (g Gitea) Do(t testing.TB, method, path string, in, out any, want int) {
	t.Helper()
	if _, err := g.Expect(context.Background(), method, path, in, out, want); err != nil {
		t.Fatal(err)
	}
}

// CreateRepo creates a repository with an initial commit, owned by the
// token's user, and deletes it when the test ends. It returns owner/name.
func (g Gitea) CreateRepo(t testing.TB, name string) string {
	t.Helper()
	slug, err := g.CreateUserRepo(context.Background(), g.User, name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := g.DeleteRepo(context.Background(), slug); err != nil {
			t.Error(err)
		}
	})
	return slug
}

// Hooks lists a repository's webhooks.
func (g Gitea) Hooks(t testing.TB, slug string) []gitea.Hook {
	t.Helper()
	hooks, err := g.Client.Hooks(context.Background(), slug)
	if err != nil {
		t.Fatal(err)
	}
	return hooks
}
