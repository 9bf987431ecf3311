package client

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/drone/drone-go/drone"

	"github.com/galaxias/terraform-provider-galaxias/internal/httpx"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/drone08"
)

// on08 returns the 0.8 dialect of a fake with one enabled repository.
func on08(t *testing.T) (*drone08.Server, Dialect) {
	t.Helper()
	f := drone08.New(t, drone08.Options{})
	f.AddSCMRepo("octocat/hello", "main")
	base, err := httpx.New(httpx.Options{Subsystem: "test", MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	d, _, err := Connect(context.Background(), New(f.URL, "drone08-admin-token", base), apiAuto)
	if err != nil {
		t.Fatal(err)
	}
	if d.Info.API != api08 {
		t.Fatalf("detected %+v", d.Info)
	}
	ctx := context.Background()
	if err := d.Repos.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Repos.Enable(ctx, "octocat", "hello"); err != nil {
		t.Fatal(err)
	}
	return f, d
}

var hello = SecretScope{Owner: "octocat", Repo: "hello"}

func TestV08_enableTwice(t *testing.T) {
	f, d := on08(t)
	r, err := d.Repos.Enable(context.Background(), "octocat", "hello")
	if err != nil || r.Slug != "octocat/hello" || !r.Active {
		t.Fatalf("second enable: %+v, %v", r, err)
	}
	if f.Hooks("octocat/hello") != 1 {
		t.Errorf("%d webhooks", f.Hooks("octocat/hello"))
	}
}

// The events are always sent: an empty list would mean every event.
func TestV08_secretEventsExplicit(t *testing.T) {
	f, d := on08(t)
	ctx := context.Background()
	v := "x"
	for _, tc := range []struct {
		name string
		in   Secret
		want []string
	}{
		{"plain", Secret{}, []string{"deployment", "push", "tag"}},
		{"pr", Secret{PullRequest: true}, []string{"deployment", "pull_request", "push", "tag"}},
		{"given", Secret{PullRequest: true, Events: []string{"pull_request", "push"}}, []string{"pull_request", "push"}},
	} {
		tc.in.Name = tc.name
		got, err := d.Secrets.Create(ctx, hello, SecretInput{Secret: tc.in, Value: &v})
		if err != nil {
			t.Fatal(err)
		}
		stored, _ := f.SecretOf("octocat/hello", tc.name)
		if !slices.Equal(stored.Events, tc.want) || !slices.Equal(got.Events, tc.want) || got.PullRequest != tc.in.PullRequest {
			t.Errorf("%s: stored %v, answered %+v, want %v", tc.name, stored.Events, got, tc.want)
		}
	}
	// Inconsistent input and pull_request_push are refused before any request.
	before := len(f.Writes())
	for _, in := range []Secret{
		{Name: "bad1", PullRequest: false, Events: []string{"pull_request"}},
		{Name: "bad2", PullRequestPush: true},
	} {
		if _, err := d.Secrets.Create(ctx, hello, SecretInput{Secret: in, Value: &v}); err == nil {
			t.Errorf("%s accepted", in.Name)
		}
	}
	if len(f.Writes()) != before {
		t.Errorf("refused secrets were sent: %v", f.Writes()[before:])
	}
	// A secret stored with no events (every event) reads as exposed to pull requests.
	f.PutSecret("octocat/hello", drone08.Secret{Name: "all", Value: "x"})
	if s, err := d.Secrets.Get(ctx, hello, "all"); err != nil || !s.PullRequest || len(s.Events) != 0 {
		t.Errorf("no events: %+v, %v", s, err)
	}
}

// An update that 0.8 does not apply (an empty image list) is an error, not
// a silent success; a new value reaches the server.
func TestV08_secretUpdate(t *testing.T) {
	f, d := on08(t)
	ctx := context.Background()
	v1, v2 := "one", "two"
	if _, err := d.Secrets.Create(ctx, hello, SecretInput{Secret: Secret{Name: "s", Images: []string{"plugins/docker"}}, Value: &v1}); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Secrets.Update(ctx, hello, SecretInput{Secret: Secret{Name: "s", Images: []string{"plugins/docker"}}, Value: &v2}); err != nil {
		t.Fatal(err)
	}
	if s, _ := f.SecretOf("octocat/hello", "s"); s.Value != "two" {
		t.Errorf("value %q after the update", s.Value)
	}
	_, err := d.Secrets.Update(ctx, hello, SecretInput{Secret: Secret{Name: "s"}})
	if err == nil || !strings.Contains(err.Error(), "kept events") {
		t.Errorf("clearing images: %v", err)
	}
}

func TestV08_deleteMissingSecret(t *testing.T) {
	f, d := on08(t)
	ctx := context.Background()
	v := "x"
	if _, err := d.Secrets.Create(ctx, hello, SecretInput{Secret: Secret{Name: "s"}, Value: &v}); err != nil {
		t.Fatal(err)
	}
	if err := d.Secrets.Delete(ctx, hello, "s"); err != nil {
		t.Fatal(err)
	}
	if _, ok := f.SecretOf("octocat/hello", "s"); ok {
		t.Error("not deleted")
	}
	if err := d.Secrets.Delete(ctx, hello, "s"); err != nil {
		t.Errorf("deleting a missing secret: %v", err)
	}
}

// The 500 "no rows" of 0.8's delete of a missing secret counts as gone (a
// secret deleted between the provider's look and its delete).
func TestV08_deleteNoRows(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/version":
			_, _ = w.Write([]byte(`{"version":"0.8.9"}`))
		case r.Method == http.MethodGet:
			_ = json.NewEncoder(w).Encode(map[string]any{"name": "s", "event": []string{"push"}})
		default:
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = w.Write([]byte(`Error deleting secret "s". sql: no rows in result set`))
		}
	}))
	defer srv.Close()
	d, _, err := Connect(context.Background(), newClient(t, srv.URL), apiAuto)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Secrets.Delete(context.Background(), hello, "s"); err != nil {
		t.Errorf("500 no rows: %v", err)
	}
}

func TestV08_noOrgSecrets(t *testing.T) {
	_, d := on08(t)
	if d.OrgSecrets != nil || d.Crons != nil || d.Templates != nil {
		t.Fatal("the 0.8 dialect has APIs 0.8 does not")
	}
	var unsupported *UnsupportedError
	if _, err := d.Secrets.List(context.Background(), SecretScope{Owner: "octocat"}); !errors.As(err, &unsupported) {
		t.Errorf("org scope on 0.8: %v", err)
	}
}

func TestV08_users(t *testing.T) {
	f, d := on08(t)
	ctx := context.Background()
	u, err := d.Users.Create(ctx, drone08User("robot"))
	if err != nil || u.Login != "robot" || !u.Active || u.Token != "" {
		t.Fatalf("create: %+v, %v", u, err)
	}
	no := false
	if u, err = d.Users.Update(ctx, "robot", patchActive(&no)); err != nil || u.Active {
		t.Fatalf("update: %+v, %v", u, err)
	}
	if active, _ := f.User("robot"); active {
		t.Error("still active")
	}
	if _, err := d.Users.Update(ctx, "robot", patchActive(nil)); err == nil {
		t.Error("an update without active was sent (0.8 would deactivate the user)")
	}
}

func drone08User(login string) drone.User { return drone.User{Login: login} }

func patchActive(active *bool) drone.UserPatch { return drone.UserPatch{Active: active} }
