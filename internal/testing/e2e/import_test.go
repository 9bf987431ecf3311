package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/stack"
)

// TestImportGenerateConfig adopts a project and a cluster made by hand with
// import blocks and `plan -generate-config-out`, under each CLI. Both CLIs
// generate write-only and sensitive arguments as null (OpenTofu adds a
// "write-only" comment), so the cluster's generated configuration is
// incomplete until its kubeconfig is given: the first plan fails naming
// config and config_wo. With config_wo filled in, apply imports both, and
// the next plan is empty.
func TestImportGenerateConfig(t *testing.T) {
	_, env := stackEnv(t)
	forEachCLI(t, func(t *testing.T, c cli) { testImportGenerateConfig(t, c, env) })
}

func testImportGenerateConfig(t *testing.T, c cli, env *stack.Env) {
	ctx := context.Background()
	gc, err := client.New(client.Options{BaseURL: env.GalaxiasEndpoint, Token: env.GalaxiasToken})
	if err != nil {
		t.Fatal(err)
	}
	name := "imp-" + c.Name + "-" + randomSuffix(t)
	p, err := gc.CreateProject(ctx, client.ProjectInput{Name: name, Description: "made by hand"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = gc.DeleteProject(context.Background(), p.ID) })
	cl, err := gc.CreateCluster(ctx, client.ClusterInput{Name: name, Description: "made by hand", Config: e2eKubeconfig(env)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = gc.DeleteCluster(context.Background(), cl.ID) })

	dir := t.TempDir()
	config := fmt.Sprintf(`terraform {
  required_providers {
    galaxias = { source = "galaxias/galaxias" }
  }
}

variable "kubeconfig" {
  type      = string
  sensitive = true
  ephemeral = true
}

import {
  to = galaxias_project.p
  id = "%d"
}

import {
  to = galaxias_cluster.c
  id = "%d"
}
`, p.ID, cl.ID)
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	tf := newCLIRunner(t, c, env, dir, "TF_VAR_kubeconfig="+e2eKubeconfig(env))
	must(t, tf, []string{"init", "-upgrade", "-no-color"})

	r := must(t, tf, []string{"plan", "-no-color", "-generate-config-out=generated.tf"}, 1)
	if !strings.Contains(r.Stderr+r.Stdout, "[config,config_wo]") {
		t.Errorf("the failed plan does not name config and config_wo:\n%s", r)
	}
	genPath := filepath.Join(dir, "generated.tf")
	b, err := os.ReadFile(genPath)
	if err != nil {
		t.Fatalf("no generated configuration: %v\n%s", err, r)
	}
	gen := string(b)
	for _, re := range []string{
		`resource "galaxias_project" "p" \{`,
		`\n\s*name\s*= "` + name + `"\n`,
		`\n\s*description\s*= "made by hand"\n`,
		`resource "galaxias_cluster" "c" \{`,
		`\n\s*config\s*= null # sensitive\n`,  // readable, but sensitive: never written out
		`\n\s*config_wo\s*= null # sensitive`, // write-only: nothing to read
		`\n\s*config_wo_version\s*= null\n`,
	} {
		if !regexp.MustCompile(re).MatchString(gen) {
			t.Errorf("generated.tf does not match %s:\n%s", re, gen)
		}
	}
	if strings.Contains(gen, "apiVersion") {
		t.Errorf("generated.tf shows the cluster's kubeconfig:\n%s", gen)
	}

	// What a user does next: give the write-only kubeconfig and its version.
	gen = regexp.MustCompile(`(?m)^(\s*config_wo\s*=\s*)null.*$`).ReplaceAllString(gen, "${1}var.kubeconfig")
	gen = regexp.MustCompile(`(?m)^(\s*config_wo_version\s*=\s*)null.*$`).ReplaceAllString(gen, "${1}1")
	if err := os.WriteFile(genPath, []byte(gen), 0o600); err != nil {
		t.Fatal(err)
	}
	r = must(t, tf, []string{"apply", "-auto-approve", "-no-color"})
	if !strings.Contains(r.Stdout, "2 imported") {
		t.Errorf("apply did not import both:\n%s", r)
	}
	must(t, tf, []string{"plan", "-detailed-exitcode", "-no-color"})
	if got, err := gc.GetProject(ctx, p.ID); err != nil || got.Description != "made by hand" {
		t.Errorf("project after the import: %+v, %v", got, err)
	}

	must(t, tf, []string{"destroy", "-auto-approve", "-no-color"})
	if _, err := gc.GetProject(ctx, p.ID); !client.IsNotFound(err) {
		t.Errorf("project %d after destroy: %v, want not found", p.ID, err)
	}
	if _, err := gc.GetCluster(ctx, cl.ID); !client.IsNotFound(err) {
		t.Errorf("cluster %d after destroy: %v, want not found", cl.ID, err)
	}
}
