package drone08

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// answer is a user as 0.8 answers it: admin only for the token's own user
// (0.8 sets it from its admin list in the session), false for others.
func (s *Server) answer(u *user, self bool) user {
	out := *u
	out.Admin = self && s.isAdmin(u.Login)
	return out
}

// serveUser serves /api/user and /api/user/repos.
func (s *Server) serveUser(q *request, rest []string) {
	if !q.authenticated() {
		return
	}
	switch {
	case len(rest) == 0 && q.r.Method == http.MethodGet:
		q.json(http.StatusOK, s.answer(q.user, true))
	case len(rest) == 1 && rest[0] == "repos" && q.r.Method == http.MethodGet:
		s.listRepos(q)
	default:
		q.index()
	}
}

// listRepos is GET /api/user/repos: with flush=true it syncs from the SCM
// first; without all=true it lists the active repositories only.
func (s *Server) listRepos(q *request) {
	flush, _ := strconv.ParseBool(q.r.URL.Query().Get("flush"))
	all, _ := strconv.ParseBool(q.r.URL.Query().Get("all"))
	if flush {
		for name, r := range s.scm {
			if _, ok := s.repos[name]; !ok {
				s.nextID++
				owner, short, _ := strings.Cut(name, "/")
				s.repos[name] = &Repo{ID: s.nextID, Owner: owner, Name: short, FullName: name, SCM: "git",
					Link: "http://scm.example/" + name, Clone: "http://scm.example/" + name + ".git",
					Branch: r.branch, Private: r.private, Visibility: "public", Timeout: 60, Config: ".drone.yml"}
			}
		}
		q.user.Synced++
	}
	names := make([]string, 0, len(s.repos))
	for name := range s.repos {
		names = append(names, name)
	}
	slices.Sort(names)
	list := []Repo{}
	for _, name := range names {
		if r := s.repos[name]; all || r.Active {
			list = append(list, *r)
		}
	}
	q.json(http.StatusOK, list)
}

// serveUsers serves /api/users[/{login}], for admins.
func (s *Server) serveUsers(q *request, rest []string) {
	if !q.authenticated() {
		return
	}
	if !s.isAdmin(q.user.Login) {
		q.text(http.StatusForbidden, "Forbidden")
		return
	}
	if len(rest) == 0 {
		switch q.r.Method {
		case http.MethodGet:
			logins := make([]string, 0, len(s.users))
			for l := range s.users {
				logins = append(logins, l)
			}
			slices.Sort(logins)
			list := []user{}
			for _, l := range logins {
				list = append(list, s.answer(s.users[l], false))
			}
			q.json(http.StatusOK, list)
		case http.MethodPost:
			var in struct {
				Login string `json:"login"`
				Email string `json:"email"`
			}
			if !q.decode(&in) {
				return
			}
			if in.Login == "" || strings.ContainsAny(in.Login, "/ ") {
				q.text(http.StatusBadRequest, "Error inserting user. Invalid User Login")
				return
			}
			if _, ok := s.users[in.Login]; ok {
				q.text(http.StatusInternalServerError, "Error inserting user. UNIQUE constraint failed: users.user_login")
				return
			}
			s.nextID++
			u := &user{ID: s.nextID, Login: in.Login, Email: in.Email, Active: true}
			s.users[in.Login] = u
			q.json(http.StatusOK, s.answer(u, false))
		default:
			q.index()
		}
		return
	}
	if len(rest) != 1 {
		q.index()
		return
	}
	u, ok := s.users[rest[0]]
	switch {
	case q.r.Method != http.MethodGet && q.r.Method != http.MethodPatch && q.r.Method != http.MethodDelete:
		q.index()
	case !ok:
		q.text(http.StatusNotFound, "Cannot find user. sql: no rows in result set")
	case q.r.Method == http.MethodGet:
		q.json(http.StatusOK, s.answer(u, false))
	case q.r.Method == http.MethodPatch:
		// 0.8 binds the body into a user and copies admin and active: a
		// missing active is false. admin is not stored here.
		var in struct {
			Admin  bool `json:"admin"`
			Active bool `json:"active"`
		}
		if !q.decode(&in) {
			return
		}
		u.Active = in.Active
		q.json(http.StatusOK, s.answer(u, false))
	default:
		delete(s.users, u.Login)
		for tok, l := range s.tokens {
			if l == u.Login {
				delete(s.tokens, tok)
			}
		}
		q.text(http.StatusOK, "")
	}
}

// User returns a user as stored (admin is never stored).
func (s *Server) User(login string) (active, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.users[login]
	if !ok {
		return false, false
	}
	return u.Active, true
}

// SetUserActive changes a user out of band.
func (s *Server) SetUserActive(login string, active bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if u, ok := s.users[login]; ok {
		u.Active = active
	}
}

// DeleteUser deletes a user out of band.
func (s *Server) DeleteUser(login string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.users, login)
}
