// Command fake-kubernetes serves the smallest Kubernetes API a Galaxias
// backend needs to accept a cluster (internal/testing/fakek8s): GET
// /api/v1/nodes and /version, on plain http (client-go sends no credentials
// there, so none are checked).
//
//	fake-kubernetes -listen 127.0.0.1:PORT
package main

import (
	"context"
	"flag"
	"log/slog"
	"os"

	"github.com/galaxias/terraform-provider-galaxias/internal/testing/fakek8s"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/process"
)

func main() { process.Main("fake-kubernetes", run) }

// run serves until ctx ends; ready, if not nil, gets the listening address.
func run(ctx context.Context, args []string, ready func(addr string)) error {
	fs := flag.NewFlagSet("fake-kubernetes", flag.ContinueOnError)
	listen := fs.String("listen", "127.0.0.1:6443", "address to listen on")
	if err := fs.Parse(args); err != nil {
		return err
	}
	return process.Run(ctx, *listen, fakek8s.New(""), slog.New(slog.NewTextHandler(os.Stderr, nil)), ready)
}
