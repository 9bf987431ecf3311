// Package drone08 is an httptest fake of a Drone 0.8 server (OSS v0.8.10,
// which reports 0.8.9), for tests only. It follows what a real 0.8.10 was
// seen to answer (the project's reference notes on Drone 0.8) and 0.8's
// router and handlers: the routes the provider uses, and their quirks.
//
//   - GET /version answers {"version":"0.8.9"}; every answer carries the
//     X-Drone-Version header.
//   - Any route 0.8 does not have answers 200 with the HTML index page, for
//     every method, never 404.
//   - Repositories are known after a sync (GET /api/user/repos?flush=true);
//     enabling an active one answers 409; answers have full_name, no slug
//     and no uid; config_file and gated are the names of the pipeline path
//     and the protected flag; allow_* flags are singular in a patch and
//     plural in answers; trusted and timeout change only for admins.
//   - Secrets are {name, value, image, event}: an empty value is 400
//     "Invalid Secret Value", names are stored in lower case, a patch
//     ignores an empty value, event list and image list, values are never
//     returned, and deleting a missing secret answers 500.
//   - Users are created active; admin is never stored (it comes from the
//     server's admin list and is reported only for the token's own user);
//     there are no machine users and no tokens in answers.
//
// Errors are plain text, as 0.8's handlers write them.
package drone08

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
)

// version is what the fake reports.
const version = "0.8.9"

// IndexPage is the HTML page 0.8 serves for every route it does not have.
const IndexPage = "<!DOCTYPE html>\n<html>\n<head><title>Drone</title></head>\n<body><div id=\"app\"></div></body>\n</html>\n"

// Options configure a Server.
type Options struct {
	// Admins are the logins of DRONE_ADMIN. The first one is created, with
	// the token AdminToken.
	Admins     []string
	AdminToken string
	// Version overrides the version reported; "-" reports none (no /version,
	// no header).
	Version string
}

// Server is a running fake.
type Server struct {
	*httptest.Server
	opts Options

	mu      sync.Mutex
	nextID  int64
	tokens  map[string]string             // token → login
	users   map[string]*user              // login → user
	scm     map[string]scmRepo            // full name → repository in the SCM
	repos   map[string]*Repo              // full name → Drone's record
	secrets map[string]map[string]*Secret // full name → name → secret
	hooks   map[string]int                // full name → webhooks created
	calls   []string                      // "METHOD /path?query"
}

type user struct {
	ID     int64  `json:"id"`
	Login  string `json:"login"`
	Email  string `json:"email"`
	Avatar string `json:"avatar_url"`
	Active bool   `json:"active"`
	Admin  bool   `json:"admin"`
	Synced int64  `json:"synced"`
}

type scmRepo struct {
	branch  string
	private bool
}

// New starts a fake for the test; it stops when the test ends.
func New(t testing.TB, opts Options) *Server {
	t.Helper()
	if len(opts.Admins) == 0 {
		opts.Admins = []string{"octocat"}
	}
	if opts.AdminToken == "" {
		opts.AdminToken = "drone08-admin-token"
	}
	if opts.Version == "" {
		opts.Version = version
	}
	s := &Server{
		opts:    opts,
		tokens:  map[string]string{},
		users:   map[string]*user{},
		scm:     map[string]scmRepo{},
		repos:   map[string]*Repo{},
		secrets: map[string]map[string]*Secret{},
		hooks:   map[string]int{},
	}
	s.AddUser(opts.Admins[0], opts.AdminToken)
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// AddUser creates a user with an API token.
func (s *Server) AddUser(login, token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextID++
	s.users[login] = &user{ID: s.nextID, Login: login, Email: login + "@example.com", Active: true}
	s.tokens[token] = login
}

// AddSCMRepo makes a repository exist in the SCM: Drone lists it after the
// next sync.
func (s *Server) AddSCMRepo(fullName, defaultBranch string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.scm[fullName] = scmRepo{branch: defaultBranch}
}

// Calls returns the requests served so far, "METHOD /path[?query]".
func (s *Server) Calls() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.calls)
}

// Writes returns the requests served so far that are not GET.
func (s *Server) Writes() []string {
	var w []string
	for _, c := range s.Calls() {
		if !strings.HasPrefix(c, "GET ") {
			w = append(w, c)
		}
	}
	return w
}

func (s *Server) isAdmin(login string) bool { return slices.Contains(s.opts.Admins, login) }

// request is one request being served.
type request struct {
	w    http.ResponseWriter
	r    *http.Request
	user *user // the token's user, nil without a valid token
}

func (q *request) json(status int, v any) {
	q.w.Header().Set("Content-Type", "application/json; charset=utf-8")
	q.w.WriteHeader(status)
	_ = json.NewEncoder(q.w).Encode(v)
}

// text answers in plain text, as 0.8's handlers write errors.
func (q *request) text(status int, format string, args ...any) {
	q.w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	q.w.WriteHeader(status)
	_, _ = fmt.Fprintf(q.w, format, args...) //nolint:gosec // a test fake's plain-text error (text/plain), as Drone 0.8 writes them
}

func (q *request) decode(v any) bool {
	if err := json.NewDecoder(q.r.Body).Decode(v); err != nil {
		q.text(http.StatusBadRequest, "Error parsing request. %s", err)
		return false
	}
	return true
}

// index is 0.8's answer to a route it does not have.
func (q *request) index() {
	q.w.Header().Set("Content-Type", "text/html; charset=utf-8")
	q.w.WriteHeader(http.StatusOK)
	_, _ = q.w.Write([]byte(IndexPage))
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	call := r.Method + " " + r.URL.Path
	if r.URL.RawQuery != "" {
		call += "?" + r.URL.RawQuery
	}
	s.calls = append(s.calls, call)
	if s.opts.Version != "-" {
		w.Header().Set("X-Drone-Version", s.opts.Version)
	}
	q := &request{w: w, r: r}
	if login, ok := s.tokens[strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")]; ok {
		q.user = s.users[login]
	}
	segs := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	switch {
	case r.URL.Path == "/version" && r.Method == http.MethodGet && s.opts.Version != "-":
		q.json(http.StatusOK, map[string]string{"source": "https://github.com/drone/drone", "version": s.opts.Version})
	case len(segs) < 2 || segs[0] != "api":
		q.index()
	case segs[1] == "user":
		s.serveUser(q, segs[2:])
	case segs[1] == "users":
		s.serveUsers(q, segs[2:])
	case segs[1] == "repos" && len(segs) >= 4:
		s.serveRepo(q, segs[2]+"/"+segs[3], segs[4:])
	default:
		q.index()
	}
}

// authenticated answers 401 and returns false without a valid token.
func (q *request) authenticated() bool {
	if q.user == nil {
		q.text(http.StatusUnauthorized, "Unauthorized")
		return false
	}
	return true
}
