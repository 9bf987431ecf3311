package refserver

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// The reference server's HTTP side: registering routes (with a token or
// none), answering JSON and errors, decoding bodies and path and query ids.

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// apiError is an error answered to the client as {error, error_code}.
// The code is the HTTP status * 100000 + a number.
type apiError struct {
	status int
	code   int
	msg    string
}

func (e *apiError) Error() string { return e.msg }

func errf(status, code int, format string, args ...any) *apiError {
	return &apiError{status: status, code: code, msg: fmt.Sprintf(format, args...)}
}

// Error codes that are not per resource.
const (
	codeBadJSON      = 40000001
	codeInvalid      = 40000002
	codeBadQuery     = 40000003
	codeBadChart     = 40000004
	codeBadVersion   = 40000005
	codeNoToken      = 40100001
	codeBadToken     = 40100002
	codeReplaced     = 40100003
	codeBadLogin     = 40100004
	codeRevoked      = 40100005
	codeForbidden    = 40300001
	codeNoRoute      = 40400001
	codeDuplicate    = 40900001
	codeInUse        = 40900002
	codeChartExists  = 40900003
	codeBodyTooLarge = 41300001
	codeTooMany      = 42900001 // injected fault
	codeInternal     = 50000001
	codeHelm         = 50000006 // evidenced: Helm failed during a deployment
	codeInjected500  = 50000099 // injected fault
	codeUnavailable  = 50300001 // injected fault
	codeChartRepo    = 50200001 // the chart repository failed or did not answer
)

// writeJSON writes v as the JSON answer. A nil v with 204 writes no body.
func writeJSON(w http.ResponseWriter, status int, v any) {
	if status == http.StatusNoContent {
		w.WriteHeader(status)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// writeError answers err as {error, error_code}. It is the only place errors
// are written; anything but an *apiError is an internal error whose detail is
// logged, not sent.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	var ae *apiError
	if !errors.As(err, &ae) {
		s.log.Error("internal error", "method", r.Method, "path", r.URL.Path, "err", err)
		ae = errf(500, codeInternal, "internal server error")
	}
	if ae.status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="galaxias"`)
	}
	writeJSON(w, ae.status, map[string]any{"error": ae.msg, "error_code": ae.code})
}

// decode reads the JSON request body into v. It is the only place bodies are
// decoded: empty, malformed and oversized bodies all end here.
func decode(r *http.Request, v any) error {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return bodyReadError(err)
	}
	if len(strings.TrimSpace(string(body))) == 0 {
		return errf(400, codeBadJSON, "request body is required")
	}
	if err := json.Unmarshal(body, v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return errf(400, codeInvalid, "field %q has the wrong type: expected %s", te.Field, te.Type)
		}
		return errf(400, codeBadJSON, "invalid JSON body: %v", err)
	}
	return nil
}

func bodyReadError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) || strings.Contains(err.Error(), "request body too large") {
		return errf(413, codeBodyTooLarge, "request body is larger than %d bytes", MaxBodyBytes)
	}
	return errf(400, codeBadJSON, "reading request body: %v", err)
}

// flexID is an id in a request body: a plain integer or {"id": N}.
type flexID int64

func (f *flexID) UnmarshalJSON(b []byte) error {
	var n int64
	if err := json.Unmarshal(b, &n); err == nil {
		*f = flexID(n)
		return nil
	}
	var obj struct {
		ID *int64 `json:"id"`
	}
	if err := json.Unmarshal(b, &obj); err != nil || obj.ID == nil {
		return errors.New(`an id must be an integer or {"id": N}`)
	}
	*f = flexID(*obj.ID)
	return nil
}

// pathID parses the integer path value name.
func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, errf(400, codeBadQuery, "invalid id %q in path", r.PathValue(name))
	}
	return id, nil
}

// queryID parses an optional positive integer query parameter (0 if absent).
func queryID(r *http.Request, name string) (int64, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, errf(400, codeBadQuery, "query parameter %s must be a positive integer", name)
	}
	return id, nil
}

// handlerFunc is the shape of every API handler: it returns the status and
// value to answer, or an error.
type handlerFunc func(r *http.Request, u *user) (int, any, error)

// handle registers an authenticated route allowed to the given roles.
func (s *Server) handle(pattern string, allowed roles, h handlerFunc) {
	s.patterns = append(s.patterns, pattern)
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		u, err := s.authenticate(r)
		if err == nil && !allowed.has(u.Role) {
			err = errf(403, codeForbidden, "role %s may not %s %s", u.Role, r.Method, r.URL.Path)
		}
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		s.respond(w, r, func() (int, any, error) { return h(r, u) })
	})
}

// Routes lists the patterns ("METHOD /path/{param}") of every route that
// needs a token, in registration order.
func (s *Server) Routes() []string { return slices.Clone(s.patterns) }

// handlePublic registers a route that needs no token.
func (s *Server) handlePublic(pattern string, h func(w http.ResponseWriter, r *http.Request) (int, any, error)) {
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		s.respond(w, r, func() (int, any, error) { return h(w, r) })
	})
}

func (s *Server) respond(w http.ResponseWriter, r *http.Request, h func() (int, any, error)) {
	status, v, err := h()
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, status, v)
}
