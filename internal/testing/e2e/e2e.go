// Package e2e runs the Terraform examples (examples/quickstart,
// examples/bootstrap-environment, the galaxias-service module,
// examples/drift-detection) with the real CLIs against the local stack, the
// way a user would: a copy of the example in a temporary folder, `init
// -upgrade` from the filesystem mirror of the local build
// (TF_CLI_CONFIG_FILE_MIRROR) or plan and apply through dev_overrides, apply,
// plan, destroy. Every suite runs once per CLI, Terraform (terraform from
// PATH) and OpenTofu (.cache/tools/tofu, built on demand from tools/opentofu),
// as parallel subtests named after the CLI; E2E_CLIS=terraform or
// E2E_CLIS=tofu limits them to one. The tests skip unless TF_ACC is set, like
// the other acceptance tests; the fmt and validate checks of the examples
// need only a built provider (go run ./cmd/stack install). The CLIs run
// through internal/testing/tfcli, the project's one Terraform runner.
package e2e

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// copyExamples copies the named folders of examples/ (e.g.
// "bootstrap-environment", "modules") into dst, keeping their relative
// layout so that module sources like ../modules/x still resolve. State,
// lock files and .terraform folders are left out.
func copyExamples(root, dst string, names ...string) error {
	for _, n := range names {
		src := filepath.Join(root, "examples", n)
		err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, err := filepath.Rel(src, p)
			if err != nil {
				return err
			}
			base := d.Name()
			if d.IsDir() && base == ".terraform" {
				return filepath.SkipDir
			}
			if strings.HasSuffix(base, ".tfstate") || strings.Contains(base, ".tfstate.") || base == ".terraform.lock.hcl" {
				return nil
			}
			target := filepath.Join(dst, n, rel)
			if d.IsDir() {
				return os.MkdirAll(target, 0o755)
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			info, err := d.Info()
			if err != nil {
				return err
			}
			return os.WriteFile(target, b, info.Mode().Perm())
		})
		if err != nil {
			return err
		}
	}
	return nil
}
