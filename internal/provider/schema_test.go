package provider

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestBinaryServesTwoAddresses builds the real binary, installs it under both
// names with dev_overrides, and asks Terraform for the schemas: each address
// must show only its own settings and types.
func TestBinaryServesTwoAddresses(t *testing.T) {
	if _, err := exec.LookPath("terraform"); err != nil {
		t.Fatal("terraform is not on PATH")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	galaxias := filepath.Join(bin, "terraform-provider-galaxias")
	build := exec.Command("go", "build", "-o", galaxias, "../..")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	if err := os.Link(galaxias, filepath.Join(bin, "terraform-provider-drone")); err != nil {
		t.Fatal(err)
	}
	rc := filepath.Join(dir, "terraformrc")
	writeFile(t, rc, `provider_installation {
  dev_overrides {
    "registry.terraform.io/galaxias/drone"    = "`+bin+`"
    "registry.terraform.io/galaxias/galaxias" = "`+bin+`"
  }
  direct {}
}
`)
	work := filepath.Join(dir, "work")
	writeFile(t, filepath.Join(work, "main.tf"), `terraform {
  required_providers {
    drone    = { source = "galaxias/drone" }
    galaxias = { source = "galaxias/galaxias" }
  }
}
`)
	cmd := exec.Command("terraform", "providers", "schema", "-json")
	cmd.Dir = work
	cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+rc, "CHECKPOINT_DISABLE=1")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("terraform providers schema: %v", err)
	}
	var schemas struct {
		ProviderSchemas map[string]struct {
			Provider struct {
				Block struct {
					Attributes map[string]any `json:"attributes"`
				} `json:"block"`
			} `json:"provider"`
			ResourceSchemas   map[string]any `json:"resource_schemas"`
			DataSourceSchemas map[string]any `json:"data_source_schemas"`
		} `json:"provider_schemas"`
	}
	if err := json.Unmarshal(out, &schemas); err != nil {
		t.Fatal(err)
	}
	for family, setting := range map[string]string{"drone": "server", "galaxias": "endpoint"} {
		s, ok := schemas.ProviderSchemas["registry.terraform.io/galaxias/"+family]
		if !ok {
			t.Fatalf("no schema for galaxias/%s in %v", family, keys(schemas.ProviderSchemas))
		}
		if _, ok := s.Provider.Block.Attributes[setting]; !ok {
			t.Errorf("provider %q lacks its setting %q", family, setting)
		}
		other := map[string]string{"drone": "endpoint", "galaxias": "server"}[family]
		if _, ok := s.Provider.Block.Attributes[other]; ok {
			t.Errorf("provider %q shows the other family's setting %q", family, other)
		}
		if len(s.ResourceSchemas) < 6 {
			t.Errorf("provider %q has only %d resource types", family, len(s.ResourceSchemas))
		}
		for _, types := range []map[string]any{s.ResourceSchemas, s.DataSourceSchemas} {
			for name := range types {
				if !strings.HasPrefix(name, family+"_") {
					t.Errorf("provider %q serves %q", family, name)
				}
			}
		}
	}
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
