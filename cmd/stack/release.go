package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/galaxias/terraform-provider-galaxias/internal/testing/kubecheck"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/stack"
)

// release shows what the stack's Kubernetes API server holds of a release
// (its Deployment: replicas and image), as kubectl get would:
//
//	go run ./cmd/stack release NAMESPACE RELEASE        the Deployment, or an error when it is missing
//	go run ./cmd/stack release -gone NAMESPACE RELEASE  an error when anything of it is left
func release(ctx context.Context, l *stack.Launcher, args []string) error {
	fs := flag.NewFlagSet("release", flag.ExitOnError)
	gone := fs.Bool("gone", false, "check that nothing of the release is left (after an uninstall)")
	_ = fs.Parse(args)
	if fs.NArg() != 2 {
		return errors.New("usage: go run ./cmd/stack release [-gone] NAMESPACE RELEASE")
	}
	ns, name := fs.Arg(0), fs.Arg(1)
	env, err := stack.Load(l.StackDir())
	if err != nil {
		return fmt.Errorf("the stack is not running (go run ./cmd/stack up): %w", err)
	}
	if env.GalaxiasKubeconfig == "" {
		return errors.New("the stack runs no Kubernetes API server")
	}
	kc, err := kubecheck.New(env.GalaxiasKubeconfig)
	if err != nil {
		return err
	}
	if *gone {
		left, err := kc.ReleaseObjects(ctx, ns, name)
		if err != nil {
			return err
		}
		if len(left) > 0 {
			return fmt.Errorf("the API server still has %s of release %s in namespace %s", strings.Join(left, ", "), name, ns)
		}
		fmt.Printf("nothing of release %s is left in namespace %s (%s)\n", name, ns, env.KubeAPIServer)
		return nil
	}
	d, err := kc.Running(ctx, ns, name)
	if err != nil {
		return err
	}
	fmt.Printf("deployment %s/%s (%s): %d replicas of %s\n", ns, name, env.KubeAPIServer, d.Replicas, strings.Join(d.Images, ", "))
	return nil
}
