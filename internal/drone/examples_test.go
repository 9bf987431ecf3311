package drone_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/galaxias/terraform-provider-galaxias/internal/drone"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/acctest"
)

// TestExamples_validate runs `terraform validate` on every drone example
// (the docs show them), with this provider. Validation needs no server.
// Terraform 1.11 knows neither list blocks (examples/list-resources) nor
// imports by identity (import-by-identity.tf): internal/testing/schemajson
// checks those examples against the schemas.
func TestExamples_validate(t *testing.T) {
	all, err := filepath.Glob("../../examples/*/drone_*")
	if err != nil || len(all) == 0 {
		t.Fatalf("no examples found: %v", err)
	}
	var dirs []string
	for _, d := range all {
		if filepath.Base(filepath.Dir(d)) != "list-resources" {
			dirs = append(dirs, d)
		}
	}
	tf := acctest.NewTerraformCLI(t, t.TempDir(), "registry.terraform.io/galaxias/drone", providerserver.NewProtocol6(drone.New("test")()))
	files := regexp.MustCompile(`file\("\$\{path\.module\}/([^"]+)"\)`)
	for _, dir := range dirs {
		t.Run(filepath.Base(filepath.Dir(dir))+"/"+filepath.Base(dir), func(t *testing.T) {
			work := t.TempDir()
			tfFiles, _ := filepath.Glob(filepath.Join(dir, "*.tf"))
			if len(tfFiles) == 0 {
				t.Fatal("no .tf file")
			}
			var all strings.Builder
			for _, f := range tfFiles {
				if filepath.Base(f) == "import-by-identity.tf" {
					continue
				}
				b, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				all.Write(b)
				if err := os.WriteFile(filepath.Join(work, filepath.Base(f)), b, 0o600); err != nil {
					t.Fatal(err)
				}
			}
			src := all.String()
			stub := "terraform {\n  required_providers {\n    drone = { source = \"galaxias/drone\" }\n  }\n}\n"
			// Examples refer to a repository declared in the drone_repo example.
			if strings.Contains(src, "drone_repo.api") && !strings.Contains(src, `resource "drone_repo" "api"`) {
				stub += "resource \"drone_repo\" \"api\" {\n  repository = \"octo/api\"\n}\n"
			}
			if err := os.WriteFile(filepath.Join(work, "stub.tf"), []byte(stub), 0o600); err != nil {
				t.Fatal(err)
			}
			for _, m := range files.FindAllStringSubmatch(src, -1) {
				p := filepath.Join(work, m[1])
				_ = os.MkdirAll(filepath.Dir(p), 0o755)
				if err := os.WriteFile(p, []byte("kind: pipeline\n"), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := os.Stat(filepath.Join(dir, "import.sh")); err == nil && strings.Contains(dir, "resources") {
				b, _ := os.ReadFile(filepath.Join(dir, "import.sh"))
				if !strings.Contains(string(b), "terraform import "+filepath.Base(dir)+".") {
					t.Errorf("import.sh does not import a %s", filepath.Base(dir))
				}
			}
			tf.Dir = work
			tf.Run(t, []int{0}, "init", "-input=false", "-no-color", "-backend=false")
			tf.Run(t, []int{0}, "validate", "-no-color")
		})
	}
}
