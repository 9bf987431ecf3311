// Package process runs the stack's small test servers (the Galaxias reference
// server, the chart repository, the fake Kubernetes API) the same way: listen,
// log every request, report the address, and shut down when the context ends.
package process

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// Run serves h on listen until ctx ends (then shuts down gracefully) or the
// server fails. ready, if not nil, gets the listening address. With a logger,
// every request is logged.
func Run(ctx context.Context, listen string, h http.Handler, logger *slog.Logger, ready func(addr string)) error {
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return err
	}
	if logger != nil {
		inner := h
		h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			logger.Info("request", "method", r.Method, "path", r.URL.Path)
			inner.ServeHTTP(w, r)
		})
	}
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 30 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	if logger != nil {
		logger.Info("listening", "addr", ln.Addr().String())
	}
	if ready != nil {
		ready(ln.Addr().String())
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return hs.Shutdown(shutdown)
}

// Main is a server command's main: it runs run with the command-line
// arguments until SIGINT or SIGTERM, and exits 1 with "name: error" when
// run fails.
func Main(name string, run func(ctx context.Context, args []string, ready func(addr string)) error) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], nil)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, name+":", err)
		os.Exit(1)
	}
}
