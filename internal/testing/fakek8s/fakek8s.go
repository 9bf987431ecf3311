// Package fakek8s is the smallest Kubernetes API server a Galaxias backend
// needs to accept a cluster: it answers GET /api/v1/nodes (what the
// re-implementation calls to check a kubeconfig) and GET /version, for a
// bearer token given at start. Everything else is 404. It counts the node
// listings, so that tests can tell that a server really called it.
package fakek8s

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync/atomic"
)

// Server is the fake API. It is an http.Handler.
type Server struct {
	token string
	calls atomic.Int64
	mux   *http.ServeMux
}

// New returns a fake API that accepts "Authorization: Bearer <token>"
// (any request when token is empty). Note that client-go sends no
// credentials to an API server on plain http, so a fake served without TLS
// must be started with an empty token.
func New(token string) *Server {
	s := &Server{token: token, mux: http.NewServeMux()}
	s.mux.HandleFunc("GET /api/v1/nodes", s.nodes)
	s.mux.HandleFunc("GET /version", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, 200, map[string]string{"major": "1", "minor": "30", "gitVersion": "v1.30.0-fake"})
	})
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 404, status(404, "NotFound", fmt.Sprintf("the server could not find the requested resource (%s %s)", r.Method, r.URL.Path)))
	})
	return s
}

// NodeListings is how many authorised GET /api/v1/nodes were answered.
func (s *Server) NodeListings() int64 { return s.calls.Load() }

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.token != "" && r.Header.Get("Authorization") != "Bearer "+s.token {
		writeJSON(w, 401, status(401, "Unauthorized", "Unauthorized"))
		return
	}
	s.mux.ServeHTTP(w, r)
}

func (s *Server) nodes(w http.ResponseWriter, _ *http.Request) {
	s.calls.Add(1)
	writeJSON(w, 200, map[string]any{
		"kind": "NodeList", "apiVersion": "v1",
		"metadata": map[string]any{"resourceVersion": "1"},
		"items": []any{map[string]any{
			"metadata": map[string]any{"name": "fake-node-1", "labels": map[string]string{"kubernetes.io/hostname": "fake-node-1"}},
			"status": map[string]any{
				"conditions":  []any{map[string]string{"type": "Ready", "status": "True"}},
				"nodeInfo":    map[string]string{"kubeletVersion": "v1.30.0-fake"},
				"addresses":   []any{map[string]string{"type": "InternalIP", "address": "127.0.0.1"}},
				"capacity":    map[string]string{"cpu": "2", "memory": "4Gi"},
				"allocatable": map[string]string{"cpu": "2", "memory": "4Gi"},
			},
		}},
	})
}

func status(code int, reason, msg string) map[string]any {
	return map[string]any{"kind": "Status", "apiVersion": "v1", "metadata": map[string]any{},
		"status": "Failure", "message": msg, "reason": reason, "code": code}
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

// Kubeconfig is a kubeconfig for the API at server (e.g. http://127.0.0.1:6443)
// with the given bearer token, context "fake".
func Kubeconfig(server, token string) string {
	return fmt.Sprintf(`apiVersion: v1
kind: Config
clusters:
  - name: fake
    cluster:
      server: %s
contexts:
  - name: fake
    context:
      cluster: fake
      user: galaxias
current-context: fake
users:
  - name: galaxias
    user:
      token: %s
`, server, token)
}
