package refserver

import (
	"fmt"
	"math"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Fault kinds.
const (
	faultNone       = ""            // latency only
	fault500        = "500"         // 500 with an error body
	Fault503        = "503"         // 503 with Retry-After
	fault429        = "429"         // 429 with Retry-After
	FaultDropBefore = "drop-before" // close the connection without processing
	FaultDropAfter  = "drop-after"  // process the request, then close without answering
)

// Fault disturbs matching requests, for tests of clients. /health and
// /v1/_test/* are never disturbed.
type Fault struct {
	// Route limits the fault to "[METHOD ]PATH"; PATH may use * for one
	// segment (path.Match). Empty: every route.
	Route string
	Kind  string
	// Rate is the fraction of matching requests affected, spread evenly
	// (0.5: every second one); 0 means all.
	Rate float64
	// Limit stops the fault after this many affected requests; 0: no limit.
	Limit int
	// Latency is added before answering an affected request.
	Latency time.Duration
	// RetryAfter is the Retry-After of 503 and 429, in seconds (default 1).
	RetryAfter int
}

// ParseFault reads the flag/test-route form of a fault, comma-separated
// key=value pairs, e.g. "route=POST /v1/deployments,kind=drop-after,limit=1"
// or "latency=200ms,rate=0.5".
func ParseFault(s string) (Fault, error) {
	var f Fault
	for _, kv := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(kv), "=")
		if !ok {
			return f, fmt.Errorf("fault %q: %q is not key=value", s, kv)
		}
		var err error
		switch k {
		case "route":
			f.Route = v
		case "kind":
			f.Kind = v
			switch v {
			case faultNone, fault500, Fault503, fault429, FaultDropBefore, FaultDropAfter:
			default:
				err = fmt.Errorf("unknown kind")
			}
		case "rate":
			f.Rate, err = strconv.ParseFloat(v, 64)
			if err == nil && (f.Rate < 0 || f.Rate > 1) {
				err = fmt.Errorf("must be from 0 to 1")
			}
		case "limit":
			f.Limit, err = strconv.Atoi(v)
		case "latency":
			f.Latency, err = time.ParseDuration(v)
		case "retry_after":
			f.RetryAfter, err = strconv.Atoi(v)
		default:
			err = fmt.Errorf("unknown key")
		}
		if err != nil {
			return f, fmt.Errorf("fault %q: %s=%s: %v", s, k, v, err)
		}
	}
	return f, nil
}

// String is the ParseFault form of f.
func (f Fault) String() string {
	parts := []string{"kind=" + f.Kind}
	if f.Route != "" {
		parts = append(parts, "route="+f.Route)
	}
	if f.Rate != 0 {
		parts = append(parts, "rate="+strconv.FormatFloat(f.Rate, 'g', -1, 64))
	}
	if f.Limit != 0 {
		parts = append(parts, "limit="+strconv.Itoa(f.Limit))
	}
	if f.Latency != 0 {
		parts = append(parts, "latency="+f.Latency.String())
	}
	if f.RetryAfter != 0 {
		parts = append(parts, "retry_after="+strconv.Itoa(f.RetryAfter))
	}
	return strings.Join(parts, ",")
}

func (f Fault) matches(r *http.Request) bool {
	if f.Route == "" {
		return true
	}
	pattern := f.Route
	if m, p, ok := strings.Cut(f.Route, " "); ok {
		if m != r.Method {
			return false
		}
		pattern = p
	}
	ok, _ := path.Match(pattern, r.URL.Path)
	return ok
}

type faultState struct {
	Fault
	seen, hits int
}

// pick counts a matching request and reports whether it is affected.
func (fs *faultState) pick() bool {
	rate := fs.Rate
	if rate == 0 {
		rate = 1
	}
	fs.seen++
	if math.Floor(float64(fs.seen)*rate) == math.Floor(float64(fs.seen-1)*rate) {
		return false
	}
	if fs.Limit > 0 && fs.hits >= fs.Limit {
		return false
	}
	fs.hits++
	return true
}

func (s *Server) setConfig(async bool, d time.Duration, faults []Fault) {
	if d <= 0 {
		d = 2 * time.Second
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.async, s.asyncD = async, d
	if faults != nil {
		s.faults = nil
		for _, f := range faults {
			s.faults = append(s.faults, &faultState{Fault: f})
		}
	}
}

func (s *Server) setTillerDown(clusters []int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tillerDown = map[int64]bool{}
	for _, id := range clusters {
		s.tillerDown[id] = true
	}
}

// tillerIsDown reports whether the test switch says the Tiller of this
// cluster is down.
func (s *Server) tillerIsDown(cluster int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tillerDown[cluster]
}

func (s *Server) asyncMode() (bool, time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.async, s.asyncD
}

// injectFault applies the faults that pick r. It reports whether it answered
// (or dropped) the request itself.
func (s *Server) injectFault(w http.ResponseWriter, r *http.Request) bool {
	if r.URL.Path == "/health" || strings.HasPrefix(r.URL.Path, "/v1/_test/") {
		return false
	}
	var latency time.Duration
	var kind string
	retryAfter := 1
	s.mu.Lock()
	for _, fs := range s.faults {
		if fs.matches(r) && fs.pick() {
			latency += fs.Latency
			if kind == "" && fs.Kind != "" {
				kind = fs.Kind
				if fs.RetryAfter > 0 {
					retryAfter = fs.RetryAfter
				}
			}
		}
	}
	s.mu.Unlock()
	if latency > 0 {
		select {
		case <-time.After(latency):
		case <-r.Context().Done():
			return true
		}
	}
	switch kind {
	case fault500:
		s.writeError(w, r, errf(500, codeInjected500, "injected fault: internal server error"))
	case Fault503:
		w.Header().Set("Retry-After", strconv.Itoa(retryAfter))
		s.writeError(w, r, errf(503, codeUnavailable, "injected fault: service unavailable"))
	case fault429:
		w.Header().Set("Retry-After", strconv.Itoa(retryAfter))
		s.writeError(w, r, errf(429, codeTooMany, "injected fault: too many requests"))
	case FaultDropBefore:
		dropConnection(w)
	case FaultDropAfter:
		s.serve(discardWriter{header: http.Header{}}, r)
		dropConnection(w)
	default:
		return false
	}
	return true
}

// dropConnection closes the client's connection without an answer.
func dropConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler) // not hijackable (HTTP/2): abort the stream
	}
	_ = conn.Close()
}

// testConfig is the body of the test-only route /v1/_test/config. Durations
// are Go durations ("300ms"); faults use the ParseFault form; tiller_down
// lists the clusters (ids) whose Tiller is down (rock dialect: deployments
// to them and instance deletes fail as the re-implementation's do). In a
// PUT, absent fields are left as they are; "faults": [] removes every
// fault, "tiller_down": [] brings every Tiller back.
type testConfig struct {
	Async         *bool    `json:"async,omitempty"`
	AsyncDuration string   `json:"async_duration,omitempty"`
	Faults        []string `json:"faults"`
	TillerDown    []int64  `json:"tiller_down"`
}

func (s *Server) currentTestConfig() testConfig {
	s.mu.Lock()
	defer s.mu.Unlock()
	async := s.async
	tc := testConfig{Async: &async, AsyncDuration: s.asyncD.String(), Faults: []string{}, TillerDown: []int64{}}
	for _, f := range s.faults {
		tc.Faults = append(tc.Faults, f.String())
	}
	for id := range s.tillerDown {
		tc.TillerDown = append(tc.TillerDown, id)
	}
	slices.Sort(tc.TillerDown)
	return tc
}

// getTestConfig: GET /v1/_test/config (admin, test-only).
func (s *Server) getTestConfig(*http.Request, *user) (int, any, error) {
	return 200, s.currentTestConfig(), nil
}

// putTestConfig: PUT /v1/_test/config (admin, test-only).
func (s *Server) putTestConfig(r *http.Request, _ *user) (int, any, error) {
	var in testConfig
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	async, d := s.asyncMode()
	if in.Async != nil {
		async = *in.Async
	}
	if in.AsyncDuration != "" {
		var err error
		if d, err = time.ParseDuration(in.AsyncDuration); err != nil || d <= 0 {
			return 0, nil, errf(400, codeInvalid, "async_duration must be a positive Go duration such as 300ms")
		}
	}
	var faults []Fault
	if in.Faults != nil {
		faults = []Fault{}
		for _, spec := range in.Faults {
			f, err := ParseFault(spec)
			if err != nil {
				return 0, nil, errf(400, codeInvalid, "%v", err)
			}
			faults = append(faults, f)
		}
	}
	s.setConfig(async, d, faults)
	if in.TillerDown != nil {
		s.setTillerDown(in.TillerDown)
	}
	return 200, s.currentTestConfig(), nil
}

// discardWriter is a ResponseWriter that keeps nothing: the answer of a
// request whose connection is dropped after it was served.
type discardWriter struct{ header http.Header }

func (w discardWriter) Header() http.Header       { return w.header }
func (discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (discardWriter) WriteHeader(int)             {}
