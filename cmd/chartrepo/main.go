// Command chartrepo serves a ChartMuseum-compatible Helm chart repository
// (internal/testing/chartrepo) for the local stack:
//
//	chartrepo -listen 127.0.0.1:PORT -storage DIR
//
// Charts are kept as DIR/<name>-<version>.tgz. GET /health answers 200 once
// it listens.
package main

import (
	"context"
	"errors"
	"flag"
	"log/slog"
	"os"

	"github.com/galaxias/terraform-provider-galaxias/internal/testing/chartrepo"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/process"
)

func main() { process.Main("chartrepo", run) }

// run serves until ctx ends; ready, if not nil, gets the listening address.
func run(ctx context.Context, args []string, ready func(addr string)) error {
	fs := flag.NewFlagSet("chartrepo", flag.ContinueOnError)
	listen := fs.String("listen", "127.0.0.1:8080", "address to listen on")
	storage := fs.String("storage", "", "directory holding the chart archives; required")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *storage == "" {
		return errors.New("-storage is required")
	}
	repo, err := chartrepo.New(*storage)
	if err != nil {
		return err
	}
	return process.Run(ctx, *listen, repo, slog.New(slog.NewTextHandler(os.Stderr, nil)), ready)
}
