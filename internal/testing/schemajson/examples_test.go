package schemajson_test

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	tfjson "github.com/hashicorp/terraform-json"
	"github.com/zclconf/go-cty/cty/convert"
)

// The CI's Terraform (1.11) cannot validate the examples the docs show for
// Terraform ≥ 1.12 and 1.14, imports by identity and list blocks, so these
// tests hold them to the exported schemas: every resource and list resource
// has its example, and each names only what its schema has.

const examples = "../../../examples"

func byType(schemas *tfjson.ProviderSchemas) (ids map[string]*tfjson.IdentitySchema, lists map[string]*tfjson.Schema) {
	ids, lists = map[string]*tfjson.IdentitySchema{}, map[string]*tfjson.Schema{}
	for _, ps := range schemas.Schemas {
		for n, s := range ps.ResourceIdentitySchemas {
			ids[n] = s
		}
		for n, s := range ps.ListResourceSchemas {
			lists[n] = s
		}
	}
	return ids, lists
}

func parse(t *testing.T, path string) hcl.Body {
	t.Helper()
	f, diags := hclparse.NewParser().ParseHCLFile(path)
	if diags.HasErrors() {
		t.Fatalf("%s: %s", path, diags.Error())
	}
	return f.Body
}

func TestIdentityImportExamples(t *testing.T) {
	ids, _ := byType(exportAll(t))
	for typ, schema := range ids {
		t.Run(typ, func(t *testing.T) {
			path := filepath.Join(examples, "resources", typ, "import-by-identity.tf")
			if _, err := os.Stat(path); err != nil {
				t.Fatalf("no identity import example: %v", err)
			}
			content, diags := parse(t, path).Content(&hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{{Type: "import"}}})
			if diags.HasErrors() || len(content.Blocks) != 1 {
				t.Fatalf("want one import block: %v", diags)
			}
			imp, diags := content.Blocks[0].Body.Content(&hcl.BodySchema{Attributes: []hcl.AttributeSchema{
				{Name: "to", Required: true}, {Name: "identity", Required: true},
			}})
			if diags.HasErrors() {
				t.Fatal(diags.Error())
			}
			to, diags := hcl.AbsTraversalForExpr(imp.Attributes["to"].Expr)
			if diags.HasErrors() || to.RootName() != typ {
				t.Errorf("imports into %v, want a %s", to, typ)
			}
			pairs, diags := hcl.ExprMap(imp.Attributes["identity"].Expr)
			if diags.HasErrors() {
				t.Fatal(diags.Error())
			}
			var got []string
			for _, p := range pairs {
				k, diags := p.Key.Value(nil)
				if diags.HasErrors() {
					t.Fatal(diags.Error())
				}
				name := k.AsString()
				got = append(got, name)
				attr, ok := schema.Attributes[name]
				if !ok {
					t.Errorf("identity has no attribute %s", name)
					continue
				}
				v, diags := p.Value.Value(nil)
				if diags.HasErrors() {
					t.Fatal(diags.Error())
				}
				if _, err := convert.Convert(v, attr.IdentityType); err != nil {
					t.Errorf("%s = %#v: %v", name, v, err)
				}
			}
			for name, a := range schema.Attributes {
				if a.RequiredForImport && !slices.Contains(got, name) {
					t.Errorf("the example lacks the required identity attribute %s", name)
				}
			}
		})
	}
}

func TestListResourceExamples(t *testing.T) {
	_, lists := byType(exportAll(t))
	dirs, err := filepath.Glob(filepath.Join(examples, "list-resources", "*"))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		if _, ok := lists[filepath.Base(d)]; !ok {
			t.Errorf("examples/list-resources/%s: no such list resource", filepath.Base(d))
		}
	}
	for typ, schema := range lists {
		t.Run(typ, func(t *testing.T) {
			path := filepath.Join(examples, "list-resources", typ, "list-resource.tfquery.hcl")
			if _, err := os.Stat(path); err != nil {
				t.Fatalf("no list example: %v", err)
			}
			content, diags := parse(t, path).Content(&hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{{Type: "list", LabelNames: []string{"type", "name"}}}})
			if diags.HasErrors() || len(content.Blocks) == 0 {
				t.Fatalf("want list blocks: %v", diags)
			}
			for _, b := range content.Blocks {
				if b.Labels[0] != typ {
					t.Errorf("list %q in the example of %s", b.Labels[0], typ)
				}
				body, diags := b.Body.Content(&hcl.BodySchema{
					Attributes: []hcl.AttributeSchema{{Name: "provider", Required: true}, {Name: "include_resource"}, {Name: "limit"}},
					Blocks:     []hcl.BlockHeaderSchema{{Type: "config"}},
				})
				if diags.HasErrors() {
					t.Fatal(diags.Error())
				}
				config := hcl.EmptyBody()
				if len(body.Blocks) == 1 {
					config = body.Blocks[0].Body
				}
				var want []hcl.AttributeSchema
				for name, a := range schema.Block.Attributes {
					want = append(want, hcl.AttributeSchema{Name: name, Required: a.Required})
				}
				got, diags := config.Content(&hcl.BodySchema{Attributes: want})
				if diags.HasErrors() {
					t.Errorf("config does not match the list resource's schema: %s", diags.Error())
				}
				for name, attr := range got.Attributes {
					v, diags := attr.Expr.Value(nil)
					if diags.HasErrors() {
						t.Fatal(diags.Error())
					}
					if _, err := convert.Convert(v, schema.Block.Attributes[name].AttributeType); err != nil {
						t.Errorf("config %s = %#v: %v", name, v, err)
					}
				}
			}
		})
	}
}
