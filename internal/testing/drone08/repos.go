package drone08

import (
	"net/http"
	"strconv"
)

// Repo is a repository as Drone 0.8 stores and answers it.
type Repo struct {
	ID          int64  `json:"id"`
	Owner       string `json:"owner"`
	Name        string `json:"name"`
	FullName    string `json:"full_name"`
	Avatar      string `json:"avatar_url"`
	Link        string `json:"link_url"`
	SCM         string `json:"scm"`
	Clone       string `json:"clone_url"`
	Branch      string `json:"default_branch"`
	Timeout     int64  `json:"timeout"`
	Visibility  string `json:"visibility"`
	Private     bool   `json:"private"`
	Trusted     bool   `json:"trusted"`
	Gated       bool   `json:"gated"`
	Active      bool   `json:"active"`
	AllowPull   bool   `json:"allow_pr"`
	AllowPush   bool   `json:"allow_push"`
	AllowDeploy bool   `json:"allow_deploys"`
	AllowTag    bool   `json:"allow_tags"`
	Counter     int    `json:"last_build"`
	Config      string `json:"config_file"`
}

// repoPatch is 0.8's repository patch: singular allow_* names.
type repoPatch struct {
	Config      *string `json:"config_file"`
	Trusted     *bool   `json:"trusted"`
	Gated       *bool   `json:"gated"`
	Timeout     *int64  `json:"timeout"`
	Visibility  *string `json:"visibility"`
	AllowPull   *bool   `json:"allow_pull"`
	AllowPush   *bool   `json:"allow_push"`
	AllowDeploy *bool   `json:"allow_deploy"`
	AllowTag    *bool   `json:"allow_tag"`
}

// serveRepo serves /api/repos/{owner}/{name}[/secrets[/{name}]].
func (s *Server) serveRepo(q *request, fullName string, rest []string) {
	switch {
	case len(rest) == 0:
	case rest[0] == "secrets" && len(rest) <= 2:
		if !q.authenticated() {
			return
		}
		repo, ok := s.repos[fullName]
		if !ok {
			q.text(http.StatusNotFound, "Not Found")
			return
		}
		s.serveSecrets(q, repo, rest[1:])
		return
	default:
		q.index() // no cron, no other sub-route of 0.8 used here
		return
	}
	switch q.r.Method {
	case http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodDelete:
	default:
		q.index()
		return
	}
	if !q.authenticated() {
		return
	}
	repo, ok := s.repos[fullName]
	if !ok {
		q.text(http.StatusNotFound, "Not Found")
		return
	}
	switch q.r.Method {
	case http.MethodGet:
		q.json(http.StatusOK, repo)
	case http.MethodPost:
		if repo.Active {
			q.text(http.StatusConflict, "Repository is already active.")
			return
		}
		repo.Active = true
		if !repo.AllowPush && !repo.AllowPull && !repo.AllowDeploy && !repo.AllowTag {
			repo.AllowPush, repo.AllowPull = true, true
		}
		if repo.Timeout == 0 {
			repo.Timeout = 60
		}
		s.hooks[fullName]++
		q.json(http.StatusOK, repo)
	case http.MethodPatch:
		var in repoPatch
		if !q.decode(&in) {
			return
		}
		admin := s.isAdmin(q.user.Login)
		set := func(dst *bool, v *bool) {
			if v != nil {
				*dst = *v
			}
		}
		if in.Config != nil {
			repo.Config = *in.Config
		}
		set(&repo.Gated, in.Gated)
		set(&repo.AllowPull, in.AllowPull)
		set(&repo.AllowPush, in.AllowPush)
		set(&repo.AllowDeploy, in.AllowDeploy)
		set(&repo.AllowTag, in.AllowTag)
		if admin {
			set(&repo.Trusted, in.Trusted)
			if in.Timeout != nil {
				repo.Timeout = *in.Timeout
			}
		}
		if in.Visibility != nil {
			switch *in.Visibility {
			case "public", "private", "internal":
				repo.Visibility = *in.Visibility
				repo.Private = *in.Visibility != "public"
			}
		}
		q.json(http.StatusOK, repo)
	case http.MethodDelete:
		repo.Active = false
		if remove, _ := strconv.ParseBool(q.r.URL.Query().Get("remove")); remove {
			delete(s.repos, fullName)
			delete(s.secrets, fullName)
		}
		q.json(http.StatusOK, repo)
	}
}

// Repository returns Drone's record of a repository.
func (s *Server) Repository(fullName string) (Repo, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.repos[fullName]
	if !ok {
		return Repo{}, false
	}
	return *r, true
}

// EditRepository changes Drone's record of a repository out of band.
func (s *Server) EditRepository(fullName string, edit func(*Repo)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r, ok := s.repos[fullName]; ok {
		edit(r)
	}
}

// Hooks returns how many webhooks enabling the repository created.
func (s *Server) Hooks(fullName string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hooks[fullName]
}
