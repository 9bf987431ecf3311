// Command galaxias-server runs the project's reference Galaxias API server
// (internal/testing/refserver), as the local stack starts it:
//
//	galaxias-server -listen 127.0.0.1:PORT -data DIR -admin-name admin -admin-password PW \
//	    [-chart-repo URL] [-dialect contract|rock] [-token-expire 300ns] [-install]
//
// It creates the admin user on first start if absent, generates and keeps
// the JWT secret in DIR, and answers GET /health with 200 once ready.
// Charts are read from the ChartMuseum-compatible repository at -chart-repo
// (default: one embedded in DIR/charts). -dialect rock answers like the
// public re-implementation of the backend (docs/galaxias-api.md, section 11).
package main

import (
	"context"
	"errors"
	"flag"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/galaxias/terraform-provider-galaxias/internal/testing/process"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/refserver"
)

type faultFlags []refserver.Fault

func (f *faultFlags) String() string {
	var s []string
	for _, x := range *f {
		s = append(s, x.String())
	}
	return strings.Join(s, "; ")
}

func (f *faultFlags) Set(v string) error {
	x, err := refserver.ParseFault(v)
	if err != nil {
		return err
	}
	*f = append(*f, x)
	return nil
}

func main() { process.Main("galaxias-server", run) }

// run serves until ctx ends; ready, if not nil, gets the listening address.
func run(ctx context.Context, args []string, ready func(addr string)) error {
	fs := flag.NewFlagSet("galaxias-server", flag.ContinueOnError)
	var (
		listen   = fs.String("listen", "127.0.0.1:8888", "address to listen on")
		data     = fs.String("data", "", "data directory (SQLite database and JWT secret); required")
		admin    = fs.String("admin-name", "admin", "admin user to create on first start if absent")
		adminPW  = fs.String("admin-password", "", "password of that admin user (needed when it is created)")
		async    = fs.Bool("async", false, "answer POST /v1/deployments with 202 and finish in the background")
		asyncDur = fs.Duration("async-duration", 2*time.Second, "how long an asynchronous deployment takes")
		quiet    = fs.Bool("quiet", false, "do not log requests")
		dialect  = fs.String("dialect", refserver.DialectContract, "API dialect: contract (docs/galaxias-api.md) or rock (the public re-implementation)")
		repo     = fs.String("chart-repo", "", "base URL of the ChartMuseum-compatible chart repository (default: embedded in the data directory)")
		expire   = fs.Duration("token-expire", refserver.DefaultTokenExpire,
			"rock dialect: server.tokenExpire; tokens expire one minute after it (the re-implementation ships 300, read as 300ns)")
		kubeWait = fs.Duration("kube-timeout", 0, "rock dialect: how long to wait for a cluster's API server (0: no limit, as the re-implementation)")
		install  = fs.Bool("install", false, "install releases with Helm into the API server of each cluster's kubeconfig (default: only render the charts)")
		faults   faultFlags
	)
	fs.Var(&faults, "fault", `inject a fault, repeatable: "kind=503,rate=0.5,route=POST /v1/deployments,limit=1,latency=100ms,retry_after=1"`)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *data == "" {
		return errors.New("-data is required")
	}
	level := slog.LevelInfo
	if *quiet {
		level = slog.LevelWarn
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	srv, err := refserver.New(refserver.Options{
		DataDir: *data, AdminName: *admin, AdminPassword: *adminPW,
		Async: *async, AsyncDuration: *asyncDur, Faults: faults, Logger: logger,
		Dialect: *dialect, ChartRepo: *repo, TokenExpire: *expire, KubeTimeout: *kubeWait, Install: *install,
	})
	if err != nil {
		return err
	}
	defer func() { _ = srv.Close() }()
	logger.Info("galaxias-server starting", "data", *data, "dialect", srv.Dialect())
	// The server logs its own requests (with status and duration).
	return process.Run(ctx, *listen, srv, nil, ready)
}
