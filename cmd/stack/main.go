// Command stack builds the provider and runs the local test stack
// (Gitea, Drone and the Galaxias reference server). See internal/stack.
//
//	go run ./cmd/stack build      build the provider into .cache/provider
//	go run ./cmd/stack install    build, then write the Terraform CLI configs
//	go run ./cmd/stack up         start (or reuse) the stack; writes .stack/env
//	go run ./cmd/stack down       stop it (down -purge also removes .stack/)
//	go run ./cmd/stack env        print .stack/env
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/galaxias/terraform-provider-galaxias/internal/stack"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "stack:", err)
		var se *stack.StepError
		if errors.As(err, &se) && len(os.Args) > 1 && os.Args[1] == "up" {
			fmt.Fprintln(os.Stderr, "stack: if the data kept in .stack/ is the problem, start afresh with: go run ./cmd/stack down -purge")
		}
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: go run ./cmd/stack <build|install|up|down [-purge]|env>")
}

func run() error {
	if len(os.Args) < 2 {
		usage()
		os.Exit(2)
	}
	wd, err := os.Getwd()
	if err != nil {
		return err
	}
	root, err := stack.FindRoot(wd)
	if err != nil {
		return err
	}
	l := &stack.Launcher{Root: root}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	switch cmd, args := os.Args[1], os.Args[2:]; cmd {
	case "build":
		return l.Build(ctx)
	case "install":
		return l.Install(ctx)
	case "up":
		_, err := l.Up(ctx)
		return err
	case "down":
		fs := flag.NewFlagSet("down", flag.ExitOnError)
		purge := fs.Bool("purge", false, "also remove .stack/ (data, logs, saved secrets)")
		_ = fs.Parse(args)
		return l.Down(*purge)
	case "env":
		s, err := l.EnvText()
		if err == nil {
			fmt.Print(s)
		}
		return err
	default:
		usage()
		os.Exit(2)
	}
	return nil
}
