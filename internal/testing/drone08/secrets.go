package drone08

import (
	"net/http"
	"slices"
	"strings"
)

// Secret is a repository secret as Drone 0.8 stores it.
type Secret struct {
	ID     int64    `json:"id"`
	Name   string   `json:"name"`
	Value  string   `json:"value,omitempty"`
	Images []string `json:"image"`
	Events []string `json:"event"`
}

// copy is the secret as 0.8 answers it: never the value.
func (s *Secret) copy() Secret {
	out := *s
	out.Value = ""
	out.Images = append([]string{}, s.Images...)
	out.Events = append([]string{}, s.Events...)
	slices.Sort(out.Events)
	return out
}

func (s *Server) serveSecrets(q *request, repo *Repo, rest []string) {
	all := s.secrets[repo.FullName]
	if all == nil {
		all = map[string]*Secret{}
		s.secrets[repo.FullName] = all
	}
	if len(rest) == 0 {
		switch q.r.Method {
		case http.MethodGet:
			names := make([]string, 0, len(all))
			for n := range all {
				names = append(names, n)
			}
			slices.Sort(names)
			list := []Secret{}
			for _, n := range names {
				list = append(list, all[n].copy())
			}
			q.json(http.StatusOK, list)
		case http.MethodPost:
			var in Secret
			if !q.decode(&in) {
				return
			}
			sec := &Secret{Name: strings.ToLower(in.Name), Value: in.Value, Images: in.Images, Events: in.Events}
			switch {
			case sec.Name == "":
				q.text(http.StatusBadRequest, "Error inserting secret. Invalid Secret Name")
				return
			case sec.Value == "":
				q.text(http.StatusBadRequest, "Error inserting secret. Invalid Secret Value")
				return
			}
			if _, ok := all[sec.Name]; ok {
				q.text(http.StatusInternalServerError, "Error inserting secret %q. UNIQUE constraint failed: secrets.secret_name", in.Name)
				return
			}
			s.nextID++
			sec.ID = s.nextID
			all[sec.Name] = sec
			q.json(http.StatusOK, sec.copy())
		default:
			q.index()
		}
		return
	}
	name := rest[0]
	sec, ok := all[name]
	switch q.r.Method {
	case http.MethodGet:
		if !ok {
			q.text(http.StatusNotFound, "Error getting secret %q. sql: no rows in result set", name)
			return
		}
		q.json(http.StatusOK, sec.copy())
	case http.MethodPatch:
		var in Secret
		if !q.decode(&in) {
			return
		}
		if !ok {
			q.text(http.StatusNotFound, "Error getting secret %q. sql: no rows in result set", name)
			return
		}
		// 0.8 applies only what is not empty.
		if in.Value != "" {
			sec.Value = in.Value
		}
		if len(in.Events) != 0 {
			sec.Events = in.Events
		}
		if len(in.Images) != 0 {
			sec.Images = in.Images
		}
		q.json(http.StatusOK, sec.copy())
	case http.MethodDelete:
		if !ok {
			q.text(http.StatusInternalServerError, "Error deleting secret %q. sql: no rows in result set", name)
			return
		}
		delete(all, name)
		q.text(http.StatusNoContent, "")
	default:
		q.index()
	}
}

// SecretOf returns a secret as stored, its value included.
func (s *Server) SecretOf(repo, name string) (Secret, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sec, ok := s.secrets[repo][name]
	if !ok {
		return Secret{}, false
	}
	out := *sec
	out.Events = slices.Sorted(slices.Values(sec.Events))
	out.Images = slices.Clone(sec.Images)
	return out, true
}

// PutSecret creates or replaces a secret out of band (as the 0.8 UI or CLI
// would).
func (s *Server) PutSecret(repo string, sec Secret) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.secrets[repo] == nil {
		s.secrets[repo] = map[string]*Secret{}
	}
	s.nextID++
	sec.ID = s.nextID
	s.secrets[repo][sec.Name] = &sec
}

// DeleteSecret deletes a secret out of band.
func (s *Server) DeleteSecret(repo, name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.secrets[repo], name)
}
