package e2e

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"

	"github.com/galaxias/terraform-provider-galaxias/internal/testing/tfcli"
)

const switchConfig = `
terraform {
  backend "pg" {}
  required_providers {
    galaxias = { source = "galaxias/galaxias" }
  }
}

variable "suffix" { type = string }
variable "kubeconfig" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "galaxias_project" "p" {
  name        = "switch-${var.suffix}"
  description = "declared"
}

resource "galaxias_cluster" "c" {
  name              = "switch-${var.suffix}"
  config_wo         = var.kubeconfig
  config_wo_version = 1
}
`

// lockHas requires the lock file in dir to select the provider at exactly
// the addresses addrs.
func lockHas(t *testing.T, dir string, addrs ...string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, ".terraform.lock.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range regexp.MustCompile(`(?m)^provider "([^"]+)"`).FindAllStringSubmatch(string(b), -1) {
		got = append(got, m[1])
	}
	sort.Strings(got)
	sort.Strings(addrs)
	if !reflect.DeepEqual(got, addrs) {
		t.Errorf("the lock file selects %q, want %q:\n%s", got, addrs, b)
	}
}

// planJSON is the part of `show -json` of a plan that drift-check.sh and
// the docs rely on.
type planJSON struct {
	FormatVersion string          `json:"format_version"`
	Applyable     *bool           `json:"applyable"`
	Complete      *bool           `json:"complete"`
	Drift         []resourceEntry `json:"resource_drift"`
	Changes       []resourceEntry `json:"resource_changes"`
}

type resourceEntry struct {
	Address      string `json:"address"`
	Mode         string `json:"mode"`
	ProviderName string `json:"provider_name"`
	Change       struct {
		Actions         []string        `json:"actions"`
		Before          json.RawMessage `json:"before"`
		After           json.RawMessage `json:"after"`
		AfterUnknown    json.RawMessage `json:"after_unknown"`
		BeforeSensitive json.RawMessage `json:"before_sensitive"`
		AfterSensitive  json.RawMessage `json:"after_sensitive"`
	} `json:"change"`
}

// TestSwitchCLI moves one configuration, with its state in PostgreSQL (the
// pg backend), from Terraform to OpenTofu and back, as a team migrating
// would:
//   - Terraform applies; the state names registry.terraform.io/galaxias/galaxias;
//   - after a change made by hand, both CLIs plan from the same state and
//     their plan JSON agrees on every field drift-check.sh reads; it differs
//     in provider_name (each CLI's registry) and in applyable and complete,
//     which only Terraform writes;
//   - each CLI's init writes the lock file anew with its own addresses (plus
//     those the state names, which OpenTofu translates to its own): without
//     an init, Terraform refuses OpenTofu's lock file;
//   - OpenTofu applies; the state then names registry.opentofu.org/galaxias/galaxias;
//   - Terraform, after init, plans no change from that state and its apply
//     writes its own addresses back; OpenTofu plans no change and destroys.
//
// The filesystem mirror (for releases: both registries) must offer the
// provider under both addresses, since Terraform's init asks for the one
// an OpenTofu-written state names.
func TestSwitchCLI(t *testing.T) {
	root, env := stackEnv(t)
	tfc, tofuc := bothCLIs(t, root)
	ctx := context.Background()
	pg := startPostgres(t, root)
	suffix := randomSuffix(t)
	schema := "switch_" + suffix
	if psql, err := exec.LookPath("psql"); err == nil {
		t.Cleanup(func() {
			_ = exec.Command(psql, pg.ConnStr, "-q", "-c", "DROP SCHEMA IF EXISTS "+schema+" CASCADE").Run()
		})
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(switchConfig), 0o600); err != nil {
		t.Fatal(err)
	}
	mirror := privateMirror(t, root)
	vars := []string{"PG_CONN_STR=" + pg.ConnStr, "PG_SCHEMA_NAME=" + schema,
		"TF_VAR_suffix=" + suffix, "TF_VAR_kubeconfig=" + e2eKubeconfig(env)}
	tf := newRunner(t, tfc, env, dir, mirror, vars...)
	tofu := newRunner(t, tofuc, env, dir, mirror, vars...)

	must(t, tf, []string{"init", "-input=false", "-no-color"})
	lockHas(t, dir, "registry.terraform.io/galaxias/galaxias")
	applied := true
	t.Cleanup(func() {
		if applied {
			if r, err := tofu.Run(context.Background(), "destroy", "-auto-approve", "-no-color"); err != nil || r.ExitCode != 0 {
				t.Errorf("cleanup destroy: %v %v", err, r)
			}
		}
	})
	must(t, tf, []string{"apply", "-auto-approve", "-no-color"})
	stateProviders(t, tf, "registry.terraform.io/galaxias/galaxias")

	// A change by hand; each CLI's plan of the same state.
	gc, err := client.New(client.Options{BaseURL: env.GalaxiasEndpoint, Token: env.GalaxiasToken})
	if err != nil {
		t.Fatal(err)
	}
	var projectID int64
	for _, r := range mustState(t, tf).Resources {
		if r.Type == "galaxias_project" {
			projectID = r.Instances[0].Attributes.ID
		}
	}
	if _, err := gc.UpdateProject(ctx, projectID, client.ProjectInput{Name: "switch-" + suffix, Description: "by hand"}); err != nil {
		t.Fatal(err)
	}
	plans := map[string]planJSON{}
	planShow := func(r *tfcli.CLI) {
		t.Helper()
		must(t, r, []string{"plan", "-no-color", "-out=plan.bin"}, 0)
		var p planJSON
		out := must(t, r, []string{"show", "-json", "plan.bin"}).Stdout
		if err := json.Unmarshal([]byte(out), &p); err != nil {
			t.Fatalf("%s show -json: %v", r.Bin, err)
		}
		plans[filepath.Base(r.Bin)] = p
	}
	planShow(tf)
	// Each CLI's init writes the lock file anew, with its own registry's
	// entries only: switching CLIs takes an init.
	must(t, tofu, []string{"init", "-input=false", "-no-color"})
	lockHas(t, dir, "registry.opentofu.org/galaxias/galaxias")
	planShow(tofu)
	comparePlans(t, plans["terraform"], plans["tofu"])

	// OpenTofu takes over; then Terraform, from what OpenTofu wrote.
	must(t, tofu, []string{"apply", "-auto-approve", "-no-color"})
	if got, err := gc.GetProject(ctx, projectID); err != nil || got.Description != "declared" {
		t.Errorf("project after OpenTofu's apply: %+v, %v", got, err)
	}
	stateProviders(t, tofu, "registry.opentofu.org/galaxias/galaxias")
	if r := must(t, tf, []string{"plan", "-no-color"}, 1); !strings.Contains(r.Stderr, "Inconsistent dependency lock file") {
		t.Errorf("terraform with OpenTofu's lock file: %s", r)
	}
	// Terraform's init also selects OpenTofu's address, which the state names.
	must(t, tf, []string{"init", "-input=false", "-no-color"})
	lockHas(t, dir, "registry.terraform.io/galaxias/galaxias", "registry.opentofu.org/galaxias/galaxias")
	must(t, tf, []string{"plan", "-detailed-exitcode", "-no-color"})
	must(t, tf, []string{"apply", "-auto-approve", "-no-color"})
	stateProviders(t, tf, "registry.terraform.io/galaxias/galaxias")
	must(t, tofu, []string{"init", "-input=false", "-no-color"})
	lockHas(t, dir, "registry.opentofu.org/galaxias/galaxias")
	must(t, tofu, []string{"plan", "-detailed-exitcode", "-no-color"})

	must(t, tofu, []string{"destroy", "-auto-approve", "-no-color"})
	applied = false
	if _, err := gc.GetProject(ctx, projectID); !client.IsNotFound(err) {
		t.Errorf("project %d after destroy: %v, want not found", projectID, err)
	}
}

type rawState struct {
	Resources []struct {
		Type      string `json:"type"`
		Provider  string `json:"provider"`
		Instances []struct {
			Attributes struct {
				ID int64 `json:"id"`
			} `json:"attributes"`
		} `json:"instances"`
	} `json:"resources"`
}

func mustState(t *testing.T, tf *tfcli.CLI) rawState {
	t.Helper()
	var s rawState
	if err := json.Unmarshal([]byte(must(t, tf, []string{"state", "pull"}).Stdout), &s); err != nil {
		t.Fatalf("state pull: %v", err)
	}
	return s
}

// stateProviders requires every resource in the stored state to name
// provider addr.
func stateProviders(t *testing.T, tf *tfcli.CLI, addr string) {
	t.Helper()
	s := mustState(t, tf)
	if len(s.Resources) != 2 {
		t.Fatalf("state has %d resources, want 2", len(s.Resources))
	}
	for _, r := range s.Resources {
		if r.Provider != `provider["`+addr+`"]` {
			t.Errorf("after %s: %s names %s, want %s", filepath.Base(tf.Bin), r.Type, r.Provider, addr)
		}
	}
}

// comparePlans requires the two CLIs' plans of one drift to agree, except
// where the documented differences are.
func comparePlans(t *testing.T, tfp, tofup planJSON) {
	t.Helper()
	if tfp.FormatVersion != tofup.FormatVersion {
		t.Errorf("format_version: terraform %s, tofu %s", tfp.FormatVersion, tofup.FormatVersion)
	}
	// Terraform writes applyable and complete; OpenTofu 1.12 does not (the
	// docs say so: update them if this changes).
	if tfp.Applyable == nil || tfp.Complete == nil {
		t.Error("terraform's plan JSON has no applyable or complete")
	}
	if tofup.Applyable != nil || tofup.Complete != nil {
		t.Error("tofu's plan JSON now has applyable or complete: update docs/guides/opentofu.md")
	}
	for _, part := range []struct {
		name   string
		tf, to []resourceEntry
		want   int
	}{{"resource_drift", tfp.Drift, tofup.Drift, 1}, {"resource_changes", tfp.Changes, tofup.Changes, 2}} {
		if len(part.tf) != part.want || len(part.to) != part.want {
			t.Errorf("%s: terraform has %d entries, tofu %d, want %d", part.name, len(part.tf), len(part.to), part.want)
			continue
		}
		byAddr := map[string]resourceEntry{}
		for _, e := range part.to {
			byAddr[e.Address] = e
		}
		for _, a := range part.tf {
			b, ok := byAddr[a.Address]
			if !ok {
				t.Errorf("%s: tofu has no %s", part.name, a.Address)
				continue
			}
			if a.ProviderName != "registry.terraform.io/galaxias/galaxias" || b.ProviderName != "registry.opentofu.org/galaxias/galaxias" {
				t.Errorf("%s %s: provider_name %s and %s", part.name, a.Address, a.ProviderName, b.ProviderName)
			}
			if !reflect.DeepEqual(normalize(t, a.Change), normalize(t, b.Change)) {
				t.Errorf("%s %s: the change differs:\nterraform %+v\ntofu      %+v", part.name, a.Address, a.Change, b.Change)
			}
		}
	}
	for _, e := range tfp.Drift {
		if e.Address == "galaxias_project.p" && !strings.Contains(string(e.Change.After), "by hand") {
			t.Errorf("the drift of galaxias_project.p does not show the change by hand: %s", e.Change.After)
		}
	}
}

// normalize decodes a change so that JSON formatting does not matter.
func normalize(t *testing.T, c any) any {
	t.Helper()
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return v
}
