// Package refserver is the project's reference implementation of the Galaxias
// API contract (docs/galaxias-api.md). Tests run it in-process (package
// refservertest); the local stack runs it as the galaxias-server command. It persists to SQLite, signs
// HS256 JWTs and renders charts with Helm's own engine, so it behaves like the
// platform rather than like an in-memory fake.
package refserver

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/galaxias/terraform-provider-galaxias/internal/testing/chartrepo"
)

// MaxBodyBytes is the largest request body accepted (larger ones get 413).
const MaxBodyBytes = 10 << 20

// Options configure a Server.
type Options struct {
	// DataDir holds the SQLite database and the JWT secret. Required.
	DataDir string
	// AdminName and AdminPassword: if set and no user of that name exists,
	// it is created with the admin role at start.
	AdminName     string
	AdminPassword string
	// Async makes POST /v1/deployments answer 202 and finish in the
	// background, moving pending -> running -> success|failure over
	// AsyncDuration (default 2s).
	Async         bool
	AsyncDuration time.Duration
	// Faults are injected into matching requests (see Fault). Off when empty.
	Faults []Fault
	// Logger receives one line per request and internal errors. nil: silent.
	Logger *slog.Logger

	// Dialect is the API the server speaks: DialectContract (the default,
	// docs/galaxias-api.md) or DialectRock (the public re-implementation,
	// defects included; see rock.go).
	Dialect string
	// ChartRepo is the base URL of the ChartMuseum-compatible repository the
	// server reads charts from (and the contract's POST /v1/charts pushes
	// to). Empty: a repository embedded in DataDir/charts.
	ChartRepo string
	// TokenExpire is the rock dialect's server.tokenExpire: a login token
	// expires after TokenExpire plus one minute. Zero: the
	// re-implementation's shipped setting, 300 (which its configuration
	// library reads as 300 nanoseconds), so tokens live about one minute.
	TokenExpire time.Duration
	// KubeTimeout bounds the rock dialect's call to a cluster's API server
	// when a cluster is created or updated (default 10s).
	KubeTimeout time.Duration
}

// The dialects.
const (
	DialectContract = "contract"
	DialectRock     = "rock"
)

// DefaultTokenExpire is the rock dialect's server.tokenExpire when none is
// given (see Options.TokenExpire).
const DefaultTokenExpire = 300 * time.Nanosecond

// Server is the reference Galaxias server. It is an http.Handler.
type Server struct {
	dialect string
	db      *sql.DB
	secret  []byte
	charts  *chartrepo.Client
	// rock dialect settings
	tokenExpire time.Duration
	kubeTimeout time.Duration
	log         *slog.Logger
	mux         *http.ServeMux
	patterns    []string // authenticated route patterns, for Routes

	mu     sync.Mutex // guards the runtime switches below
	async  bool
	asyncD time.Duration
	faults []*faultState

	stop chan struct{}
	wg   sync.WaitGroup

	releases releaseStore // what each instance was last rendered from (test-only route)
	requests requestLog   // what clients sent (test-only route)
}

// New opens (or creates) the data directory and returns a ready server.
func New(opts Options) (*Server, error) {
	if opts.DataDir == "" {
		return nil, errors.New("refserver: DataDir is required")
	}
	if err := os.MkdirAll(opts.DataDir, 0o700); err != nil {
		return nil, err
	}
	switch opts.Dialect {
	case "", DialectContract:
		opts.Dialect = DialectContract
	case DialectRock:
	default:
		return nil, fmt.Errorf("refserver: unknown dialect %q (want %s or %s)", opts.Dialect, DialectContract, DialectRock)
	}
	secret, err := loadSecret(filepath.Join(opts.DataDir, "jwt-secret"))
	if err != nil {
		return nil, err
	}
	charts, err := chartClient(opts)
	if err != nil {
		return nil, err
	}
	ctx := context.Background()
	dbFile, schema := "galaxias.db", migrations
	if opts.Dialect == DialectRock {
		dbFile, schema = "rock.db", rockMigrations
	}
	db, err := openDB(ctx, filepath.Join(opts.DataDir, dbFile), schema)
	if err != nil {
		return nil, err
	}
	s := &Server{dialect: opts.Dialect, db: db, secret: secret, charts: charts, log: opts.Logger, stop: make(chan struct{}),
		tokenExpire: opts.TokenExpire, kubeTimeout: opts.KubeTimeout}
	if s.log == nil {
		s.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if s.tokenExpire == 0 {
		s.tokenExpire = DefaultTokenExpire
	}
	if s.kubeTimeout == 0 {
		s.kubeTimeout = 10 * time.Second
	}
	s.setConfig(opts.Async, opts.AsyncDuration, opts.Faults)
	if s.dialect == DialectRock {
		if err := s.rockInit(ctx, opts.AdminName, opts.AdminPassword); err != nil {
			_ = db.Close()
			return nil, err
		}
		s.rockRoutes()
		return s, nil
	}
	if opts.AdminName != "" {
		if err := s.ensureAdmin(ctx, opts.AdminName, opts.AdminPassword); err != nil {
			_ = db.Close()
			return nil, err
		}
	}
	s.routes()
	if err := s.resumeDeployments(ctx); err != nil {
		_ = s.Close()
		return nil, err
	}
	return s, nil
}

// Close stops background deployments and closes the database. Call it after
// the HTTP server in front has stopped.
func (s *Server) Close() error {
	select {
	case <-s.stop:
		return nil
	default:
	}
	close(s.stop)
	s.wg.Wait()
	return s.db.Close()
}

// chartClient is the client of the configured chart repository, or of one
// embedded in DataDir/charts and called in-process.
func chartClient(opts Options) (*chartrepo.Client, error) {
	if opts.ChartRepo != "" {
		return &chartrepo.Client{BaseURL: strings.TrimSuffix(opts.ChartRepo, "/"), HTTP: &http.Client{Timeout: time.Minute}}, nil
	}
	repo, err := chartrepo.New(filepath.Join(opts.DataDir, "charts"))
	if err != nil {
		return nil, err
	}
	return chartrepo.Local(repo), nil
}

// Dialect is the API dialect the server speaks.
func (s *Server) Dialect() string { return s.dialect }

// ChartRepo is a client of the chart repository the server reads, for
// pushing charts the way a pipeline does.
func (s *Server) ChartRepo() *chartrepo.Client { return s.charts }

// loadSecret reads the JWT secret, generating and persisting it on first start.
func loadSecret(path string) ([]byte, error) {
	if b, err := os.ReadFile(path); err == nil {
		return hex.DecodeString(strings.TrimSpace(string(b)))
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	secret := make([]byte, 32)
	rand.Read(secret)
	if err := os.WriteFile(path, []byte(hex.EncodeToString(secret)+"\n"), 0o600); err != nil {
		return nil, err
	}
	return secret, nil
}

// ServeHTTP applies faults, then serves.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.requests.add(r)
	if !s.injectFault(w, r) {
		s.serve(w, r)
	}
}

// serve applies the body limit and access logging, then routes.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	sw := &statusWriter{ResponseWriter: w, status: 200}
	if r.ContentLength > MaxBodyBytes && s.dialect != DialectRock { // the re-implementation has no limit
		s.writeError(sw, r, errf(413, codeBodyTooLarge, "request body is larger than %d bytes", MaxBodyBytes))
	} else {
		if s.dialect != DialectRock {
			r.Body = http.MaxBytesReader(sw, r.Body, MaxBodyBytes)
		}
		s.mux.ServeHTTP(sw, r)
	}
	s.log.Info("request", "method", r.Method, "path", r.URL.Path, "status", sw.status, "duration", time.Since(start))
}

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
