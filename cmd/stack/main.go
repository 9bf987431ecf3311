// Command stack builds the provider and runs the local test stack
// (Gitea, Drone and the Galaxias reference server). See internal/testing/stack.
//
//	go run ./cmd/stack build      build the provider into .cache/provider
//	go run ./cmd/stack install    build, then write the CLI configs (Terraform and OpenTofu)
//	go run ./cmd/stack tofu       build OpenTofu into .cache/tools/tofu (once); prints its path
//	go run ./cmd/stack kube-apiserver  build kube-apiserver into .cache/tools (once); prints its path
//	go run ./cmd/stack up         start (or reuse) the stack; writes .stack/env
//	go run ./cmd/stack down       stop it (down -purge also removes .stack/)
//	go run ./cmd/stack env        print .stack/env
//	go run ./cmd/stack seed-demo  seed the demo's Gitea repository and charts (idempotent; -build 1.2.0: one more release)
//	go run ./cmd/stack release [-gone] NS NAME  the release's Deployment in the stack's API server (-gone: check nothing is left)
//	go run ./cmd/stack postgres   start (or reuse) PostgreSQL on loopback for the pg backend (postgres -stop stops it)
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/galaxias/terraform-provider-galaxias/internal/testing/stack"
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
	fmt.Fprintln(os.Stderr, "usage: go run ./cmd/stack <build|install|tofu|kube-apiserver|up|down [-purge]|env|seed-demo|release [-gone] NS NAME|postgres [-stop]>")
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
	case "tofu":
		bin, err := l.Tofu(ctx)
		if err == nil {
			fmt.Println(bin)
		}
		return err
	case "kube-apiserver":
		bin, err := l.KubeAPIServer(ctx)
		if err == nil {
			fmt.Println(bin)
		}
		return err
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
	case "seed-demo":
		fs := flag.NewFlagSet("seed-demo", flag.ExitOnError)
		unhook := fs.Bool("remove-hooks", false, "instead: remove the webhooks a disabled Drone left in the demo repository")
		build := fs.String("build", "", "also the pipeline's build of this release (APP_VERSION, e.g. 1.2.0): its commit and chart")
		unbuild := fs.String("remove-build", "", "instead: remove the chart that -build of this release uploaded (its commit stays)")
		_ = fs.Parse(args)
		if *unbuild != "" {
			v, err := l.RemoveDemoBuild(ctx, *unbuild)
			switch {
			case err != nil:
				return err
			case v == "":
				fmt.Printf("no chart of release %s to remove\n", *unbuild)
			default:
				fmt.Printf("removed chart %s %s\n", stack.DemoApp, v)
			}
			return nil
		}
		if *unhook {
			env, err := stack.Load(l.StackDir())
			if err != nil {
				return err
			}
			n, err := stack.RemoveDroneHooks(ctx, env, stack.DemoRepo)
			if err == nil {
				fmt.Printf("removed %d webhook(s) of %s\n", n, stack.DemoRepo)
			}
			return err
		}
		var builds []string
		if *build != "" {
			builds = append(builds, *build)
		}
		res, err := l.SeedDemo(ctx, builds...)
		if err != nil {
			return err
		}
		printSeed(res)
		return nil
	case "release":
		return release(ctx, l, args)
	case "postgres":
		fs := flag.NewFlagSet("postgres", flag.ExitOnError)
		stopIt := fs.Bool("stop", false, "stop the PostgreSQL server the launcher started")
		_ = fs.Parse(args)
		if *stopIt {
			return l.StopPostgres()
		}
		pg, err := l.Postgres(ctx)
		if err != nil {
			return err
		}
		fmt.Println(pg.ConnStr)
		return nil
	default:
		usage()
		os.Exit(2)
	}
	return nil
}

func printSeed(r *stack.SeedResult) {
	fmt.Printf("repository  %s  (%s)\n", r.Repository, r.RepoURL)
	for _, rel := range r.Releases {
		fmt.Printf("  commit %s  APP_VERSION %-6s  chart %s %s\n", rel.Commit[:12], rel.AppVersion, r.Chart, rel.ChartVersion)
	}
	if len(r.Changed) == 0 {
		fmt.Println("nothing to change: everything was seeded already")
		return
	}
	for _, c := range r.Changed {
		fmt.Println("created " + c)
	}
}
