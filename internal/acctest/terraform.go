package acctest

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
)

// TerraformCLI runs the terraform binary in a directory, with a provider
// served in-process (as terraform-plugin-testing does) under a registry
// address such as "registry.terraform.io/galaxias/drone". It is for tests
// that need the CLI itself: state fixtures, `terraform state` commands.
type TerraformCLI struct {
	Dir string
	bin string
	env []string
}

// NewTerraformCLI serves the provider for the test and returns a CLI bound
// to dir.
func NewTerraformCLI(t testing.TB, dir, address string, provider func() tfprotov6.ProviderServer) *TerraformCLI {
	t.Helper()
	bin := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if bin == "" {
		var err error
		if bin, err = exec.LookPath("terraform"); err != nil {
			t.Fatalf("terraform binary not found: %v", err)
		}
	}
	env := append(os.Environ(), "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1")
	env = append(env, Reattach(t, map[string]func() tfprotov6.ProviderServer{address: provider})...)
	return &TerraformCLI{Dir: dir, bin: bin, env: env}
}

// Reattach serves providers (by registry address) in this test process, as
// terraform-plugin-testing does, until the test ends, and returns the
// environment that makes the terraform CLI use them: TF_REATTACH_PROVIDERS,
// and an empty CLI configuration (no development overrides, which the
// stack's env sets, and no other installation).
func Reattach(t testing.TB, providers map[string]func() tfprotov6.ProviderServer) []string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	type addr struct{ Network, String string }
	reattach := map[string]any{}
	for address, provider := range providers {
		ch := make(chan *plugin.ReattachConfig, 1)
		closed := make(chan struct{})
		go func() {
			if err := tf6server.Serve(address, provider, tf6server.WithDebug(ctx, ch, closed),
				tf6server.WithoutLogStderrOverride(), tf6server.WithGoPluginLogger(hclog.NewNullLogger())); err != nil {
				t.Errorf("serving %s: %v", address, err)
			}
		}()
		var rc *plugin.ReattachConfig
		select {
		case rc = <-ch:
		case <-time.After(30 * time.Second):
			cancel()
			t.Fatalf("timeout waiting for the in-process provider %s", address)
		}
		t.Cleanup(func() { <-closed })
		reattach[address] = map[string]any{
			"Protocol": string(rc.Protocol), "ProtocolVersion": rc.ProtocolVersion, "Pid": rc.Pid, "Test": true,
			"Addr": addr{rc.Addr.Network(), rc.Addr.String()},
		}
	}
	t.Cleanup(cancel) // runs before the waits on closed (cleanups are LIFO)
	cfg, err := json.Marshal(reattach)
	if err != nil {
		t.Fatal(err)
	}
	cliConfig := filepath.Join(t.TempDir(), "terraformrc")
	if err := os.WriteFile(cliConfig, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	return []string{"TF_REATTACH_PROVIDERS=" + string(cfg), "TF_CLI_CONFIG_FILE=" + cliConfig}
}

// Run runs terraform with args and returns its stdout and exit code; it
// fails the test when the command cannot run or exits with a code not in ok.
func (c *TerraformCLI) Run(t testing.TB, ok []int, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(c.bin, args...)
	cmd.Dir = c.Dir
	cmd.Env = c.env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if exit, isExit := err.(*exec.ExitError); isExit {
		code = exit.ExitCode()
	} else if err != nil {
		t.Fatalf("terraform %s: %v", strings.Join(args, " "), err)
	}
	if !slices.Contains(ok, code) {
		t.Fatalf("terraform %s: exit code %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, stdout.String(), stderr.String())
	}
	return stdout.String(), code
}

// ProviderSource is a terraform block naming the source of provider name as
// terraform-plugin-testing serves it, for an import step whose Config is the
// first its working directory sees: plugin-testing adds that block to a
// Config step by itself, but writes an import step's Config as it is. Under
// Terraform (the hashicorp namespace, the default) the block is not needed
// and ProviderSource returns "".
func ProviderSource(name string) string {
	ns := os.Getenv("TF_ACC_PROVIDER_NAMESPACE")
	if ns == "" || ns == "hashicorp" {
		return ""
	}
	host := os.Getenv("TF_ACC_PROVIDER_HOST")
	if host == "" {
		host = "registry.terraform.io"
	}
	return "terraform {\n  required_providers {\n    " + name + " = { source = \"" + host + "/" + ns + "/" + name + "\" }\n  }\n}\n"
}
