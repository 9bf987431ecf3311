package refserver

import (
	"maps"
	"net/http"
	"strings"
	"sync"
)

// requestLog counts the requests the server received, by "METHOD path"
// (the path as sent, ids included), so that tests can see what a client
// sent: GET /v1/_test/requests. The test-only routes and /health are not
// counted.
type requestLog struct {
	mu     sync.Mutex
	counts map[string]int
}

func (l *requestLog) add(r *http.Request) {
	if r.URL.Path == "/health" || strings.HasPrefix(r.URL.Path, "/v1/_test/") {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.counts == nil {
		l.counts = map[string]int{}
	}
	l.counts[r.Method+" "+r.URL.Path]++
}

// requestCounts is the body of GET /v1/_test/requests.
type requestCounts struct {
	Requests map[string]int `json:"requests"`
}

func (l *requestLog) snapshot() requestCounts {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := requestCounts{Requests: maps.Clone(l.counts)}
	if out.Requests == nil {
		out.Requests = map[string]int{}
	}
	return out
}

// getRequests: GET /v1/_test/requests (admin, test-only): every request
// counted since the server started.
func (s *Server) getRequests(*http.Request, *user) (int, any, error) {
	return 200, s.requests.snapshot(), nil
}
