package acctest

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/galaxias/terraform-provider-galaxias/internal/testing/tfcli"
)

// TerraformCLI runs the Terraform CLI (TF_ACC_TERRAFORM_PATH, else terraform from PATH) in a directory,
// with a provider served in-process (as terraform-plugin-testing does)
// under a registry address such as "registry.terraform.io/galaxias/drone".
// It is for tests that need the CLI itself: state fixtures, `terraform
// state` commands.
type TerraformCLI struct {
	tfcli.CLI
}

// NewTerraformCLI serves the provider for the test and returns a CLI bound
// to dir.
func NewTerraformCLI(t testing.TB, dir, address string, provider func() tfprotov6.ProviderServer) *TerraformCLI {
	t.Helper()
	env := Reattach(t, map[string]func() tfprotov6.ProviderServer{address: provider})
	return &TerraformCLI{tfcli.CLI{Dir: dir, Env: env}}
}

// Reattach serves providers (by registry address) in this test process
// until the test ends (tfcli.Serve), and returns the environment that makes
// the CLI use them: TF_REATTACH_PROVIDERS, and an empty CLI configuration
// (/dev/null: no development overrides, which the stack's env sets, and no
// other installation).
func Reattach(t testing.TB, providers map[string]func() tfprotov6.ProviderServer) []string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	reattach, wait, err := tfcli.Serve(ctx, providers)
	t.Cleanup(wait)
	t.Cleanup(cancel) // runs before wait (cleanups are LIFO)
	if err != nil {
		t.Fatal(err)
	}
	return []string{"TF_REATTACH_PROVIDERS=" + reattach, "TF_CLI_CONFIG_FILE=/dev/null"}
}

// Run runs the CLI with args and returns its stdout and exit code; it
// fails the test when the command cannot run or exits with a code not in ok.
func (c *TerraformCLI) Run(t testing.TB, ok []int, args ...string) (string, int) {
	t.Helper()
	r, err := c.CLI.Run(context.Background(), args...)
	if err != nil {
		t.Fatalf("terraform %s: %v", strings.Join(args, " "), err)
	}
	if !slices.Contains(ok, r.ExitCode) {
		t.Fatalf("%s", r)
	}
	return r.Stdout, r.ExitCode
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
