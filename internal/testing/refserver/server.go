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
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
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
	// when a cluster is created or updated. Zero: no limit, as the
	// re-implementation (a create waits as long as the API server does).
	KubeTimeout time.Duration
	// Install makes deployments install for real (helm_install.go): Helm's
	// upgrade --install against the API server of the cluster's kubeconfig,
	// and Helm's uninstall when an instance is deleted. Off: charts are only
	// rendered (for tests without an API server).
	Install bool
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
	install     bool
	log         *slog.Logger
	mux         *http.ServeMux
	patterns    []string // authenticated route patterns, for Routes

	mu     sync.Mutex // guards the runtime switches below
	async  bool
	asyncD time.Duration
	faults []*faultState
	// tillerDown: the clusters (by id) whose Tiller the rock dialect
	// answers as unhealthy (test-only switch "tiller_down").
	tillerDown map[int64]bool

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
		tokenExpire: opts.TokenExpire, kubeTimeout: opts.KubeTimeout, install: opts.Install}
	if s.log == nil {
		s.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if s.tokenExpire == 0 {
		s.tokenExpire = DefaultTokenExpire
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
