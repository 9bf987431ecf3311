package client

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/galaxias/terraform-provider-galaxias/internal/testing/refserver"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/refserver/refservertest"
)

func startRockRef(t *testing.T) (*refservertest.Started, *Client) {
	t.Helper()
	srv := refservertest.Start(t, refserver.Options{Dialect: refserver.DialectRock, TokenExpire: time.Hour})
	c := mustClient(t, Options{BaseURL: srv.URL, Username: refservertest.AdminName, Password: refservertest.AdminPassword})
	check(t, c.CheckAuth(ctx(t)))
	return srv, c
}

// rockUsersPast4 creates users until the next one's id is above the four
// role ids (the re-implementation looks the role up by the user's id).
func rockUsersPast4(t *testing.T, c *Client) {
	t.Helper()
	for i := 0; ; i++ {
		u := must[*User](t)(c.CreateUser(ctx(t), UserInput{Name: fmt.Sprintf("filler-%d", i), Password: "Filler-pw1",
			Email: fmt.Sprintf("filler-%d@example.com", i), Role: RoleDeveloper}))
		if u.ID >= 4 {
			return
		}
	}
}

// A deleted user is still answered by id on the re-implementation (users
// 40-41): the client tells it from the list and answers a 404.
func TestRockDeletedUserIsNotFound(t *testing.T) {
	_, c := startRockRef(t)
	x := ctx(t)
	u := must[*User](t)(c.CreateUser(x, UserInput{Name: "gone", Password: "Gone-pw1", Email: "gone@example.com", Role: RoleDeployer}))
	must[*User](t)(c.GetUser(x, u.ID))
	check(t, c.DeleteUser(x, u.ID))
	_, err := c.GetUser(x, u.ID)
	var de *DeletedUserError
	if !IsNotFound(err) || !errors.As(err, &de) || de.Name != "gone" || !strings.Contains(err.Error(), "was deleted") {
		t.Fatalf("a deleted user: want a *DeletedUserError (404), got %v", err)
	}
	if gone, err := c.FindDeletedUserName(x, "gone"); err != nil || !gone {
		t.Fatalf("the name belongs to a deleted user: %v %v", gone, err)
	}
	if _, err := c.CreateUser(x, UserInput{Name: "gone", Password: "Gone-pw1", Email: "gone@example.com", Role: RoleDeployer}); !IsDuplicate(err) {
		t.Fatalf("re-creating a deleted user's name: want a duplicate, got %v", err)
	}
	if gone, err := c.FindDeletedUserName(x, refservertest.AdminName); err != nil || gone {
		t.Fatalf("a live user's name: %v %v", gone, err)
	}
}

// The re-implementation answers a role change 404 40400006 after making it
// (users 18-19): the client reads the user back and takes it as done.
func TestRockRoleChangeAnswered404(t *testing.T) {
	_, c := startRockRef(t)
	x := ctx(t)
	rockUsersPast4(t, c)
	u := must[*User](t)(c.CreateUser(x, UserInput{Name: "demoted", Password: "Demo-pw1", Email: "demoted@example.com", Role: RoleAdmin}))
	got, err := c.SetUserRole(x, u.ID, RoleDeployer)
	if err != nil || got.Role != RoleDeployer {
		t.Fatalf("role change: %+v %v", got, err)
	}
	if again := must[*User](t)(c.GetUser(x, u.ID)); again.Role != RoleDeployer {
		t.Fatalf("read back: %+v", again)
	}
}

// A role change the server does not make is an error that says so, never
// a success.
func TestRoleChangeNotApplied(t *testing.T) {
	var mu sync.Mutex
	puts := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.Method == "PUT" && r.URL.Path == "/v1/users/7/roles":
			puts++
			_, _ = io.WriteString(w, `{"id": 7, "name": "ci", "role": "deployer"}`) // claims it, keeps admin
		case r.URL.Path == "/v1/users/7":
			_, _ = io.WriteString(w, `{"id": 7, "name": "ci", "role": "admin"}`)
		case r.URL.Path == "/v1/projects":
			_, _ = io.WriteString(w, `{"page": 1, "per_page": 1, "total": 0, "items": []}`)
		default:
			w.WriteHeader(404)
		}
	}))
	defer srv.Close()
	c := mustClient(t, Options{BaseURL: srv.URL, Token: "t"})
	_, err := c.SetUserRole(ctx(t), 7, RoleDeployer)
	var rn *RoleNotAppliedError
	if !errors.As(err, &rn) || rn.Got != RoleAdmin || !strings.Contains(err.Error(), "did not change the role") || puts != 1 {
		t.Fatalf("want a *RoleNotAppliedError, got %v (%d PUTs)", err, puts)
	}
}

// An endpoint that is no Galaxias API (a web server's plain-text 404) is
// named as such, not as wrong credentials.
func TestLoginNotGalaxias(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(404)
		_, _ = io.WriteString(w, "404 page not found")
	}))
	defer srv.Close()
	c := mustClient(t, Options{BaseURL: srv.URL + "/app", Username: "admin", Password: "pw"})
	err := c.CheckAuth(ctx(t))
	if !IsNotGalaxias(err) || IsUnauthorized(err) || !strings.Contains(err.Error(), srv.URL+"/app/v1/auth/login does not look like a Galaxias API") {
		t.Fatalf("want a not-Galaxias error naming the URL, got %v", err)
	}
}

// Twelve sessions of one user at once. Each login replaces the user's token
// (both dialects), and the re-implementation takes one login of a user per
// second: every session logs in (colliding logins are retried) and gets its
// requests through (a token replaced meanwhile logs in again, after a
// random pause).
func TestConcurrentSessionsOfOneUser(t *testing.T) {
	if testing.Short() {
		t.Skip("takes about a quarter of a minute")
	}
	for _, dialect := range []string{refserver.DialectContract, refserver.DialectRock} {
		t.Run(dialect, func(t *testing.T) {
			srv := refservertest.Start(t, refserver.Options{Dialect: dialect, TokenExpire: time.Hour})
			admin := mustClient(t, Options{BaseURL: srv.URL, Username: refservertest.AdminName, Password: refservertest.AdminPassword})
			concurrentSessions(t, srv, admin)
		})
	}
}

func concurrentSessions(t *testing.T, srv *refservertest.Started, admin *Client) {
	x := ctx(t)
	must[*User](t)(admin.CreateUser(x, UserInput{Name: "shared", Password: "Shared-pw1", Email: "shared@example.com", Role: RoleAdmin}))
	const sessions = 12
	errs := make([]error, sessions)
	var wg sync.WaitGroup
	for i := range sessions {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := New(Options{BaseURL: srv.URL, Username: "shared", Password: "Shared-pw1"})
			if err != nil {
				errs[i] = err
				return
			}
			if errs[i] = c.CheckAuth(x); errs[i] != nil {
				return
			}
			p, err := c.CreateProject(x, ProjectInput{Name: fmt.Sprintf("session-%d", i)})
			if err != nil {
				errs[i] = err
				return
			}
			if _, errs[i] = c.GetProject(x, p.ID); errs[i] != nil {
				return
			}
			errs[i] = c.DeleteProject(x, p.ID)
		}()
	}
	wg.Wait()
	failed := 0
	for i, err := range errs {
		if err != nil {
			failed++
			t.Errorf("session %d: %v", i, err)
		}
	}
	if failed > 0 {
		t.Fatalf("%d of %d sessions failed", failed, sessions)
	}
}

// A login that keeps colliding with other logins of its user is retried
// until LoginRaceTimeout, then fails saying why.
func TestLoginRaceGivesUp(t *testing.T) {
	var mu sync.Mutex
	logins := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		mu.Lock()
		logins++
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(500)
		_, _ = io.WriteString(w, `{"error":"invalid memory address or nil pointer dereference","error_code":5000001,"switch":"default"}`)
	}))
	defer srv.Close()
	c := mustClient(t, Options{BaseURL: srv.URL, Username: "ci", Password: "pw", LoginRetryPause: 10 * time.Millisecond, LoginRaceTimeout: 300 * time.Millisecond})
	start := time.Now()
	err := c.Login(ctx(t))
	mu.Lock()
	n := logins
	mu.Unlock()
	if err == nil || !strings.Contains(err.Error(), "collided with other logins of \"ci\" within the same second") ||
		!strings.Contains(err.Error(), "a token, or a dedicated user") || n < 5 || time.Since(start) > 2*time.Second {
		t.Fatalf("want the race retried (%d attempts) until the timeout, then named: %v", n, err)
	}
}

// On the re-implementation a path without a public route asks for a login
// first (401, auth 21): a login sent under a wrong base path is named as
// such, not as wrong credentials.
func TestRockLoginWrongPath(t *testing.T) {
	srv, _ := startRockRef(t)
	c := mustClient(t, Options{BaseURL: srv.URL + "/api", Username: refservertest.AdminName, Password: refservertest.AdminPassword})
	err := c.CheckAuth(ctx(t))
	if !IsNotGalaxias(err) || IsUnauthorized(err) || !strings.Contains(err.Error(), srv.URL+"/api/v1/auth/login is not the login route") {
		t.Fatalf("want the wrong path named, got %v", err)
	}
}

// A request whose token other sessions keep replacing logs in again a few
// times, then fails saying so (not "wrong password").
func TestLoggedOutByOtherSessions(t *testing.T) {
	var mu sync.Mutex
	logins := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		if r.URL.Path == "/v1/auth/login" {
			logins++
			http.SetCookie(w, &http.Cookie{Name: "token", Value: fmt.Sprintf("tok-%d", logins)})
			_, _ = io.WriteString(w, `{"id": 2, "name": "ci", "role_id": 1, "role_name": "admin"}`)
			return
		}
		w.WriteHeader(401)
		_, _ = io.WriteString(w, `"User info is malformed, please login again"`)
	}))
	defer srv.Close()
	c := mustClient(t, Options{BaseURL: srv.URL, Username: "ci", Password: "pw", LoginRetryPause: time.Millisecond})
	err := c.CheckAuth(ctx(t))
	mu.Lock()
	n := logins
	mu.Unlock()
	if !IsLoggedOutByOtherSessions(err) || !strings.Contains(err.Error(), "another session of that user logged in each time") || n != 1+maxRelogins {
		t.Fatalf("want the request given up after %d relogins, named: %v (%d logins)", maxRelogins, err, n)
	}
}
