package schemajson_test

import (
	"context"
	"encoding/json"
	"maps"
	"slices"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/zclconf/go-cty/cty"

	"github.com/galaxias/terraform-provider-galaxias/internal/provider"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/schemajson"
)

// wantLists are the list resources the docs must show (issue 26).
var wantLists = []string{
	"drone_cron", "drone_orgsecret", "drone_repo", "drone_secret",
	"galaxias_app", "galaxias_cluster", "galaxias_deployment", "galaxias_environment",
	"galaxias_project", "galaxias_project_environment", "galaxias_user",
}

// exportAll exports both families as cmd/provider-schema does, through JSON
// and back as tfplugindocs reads it.
func exportAll(t *testing.T) *tfjson.ProviderSchemas {
	t.Helper()
	servers := map[string]tfprotov6.ProviderServer{}
	for _, family := range provider.Families() {
		newServer, err := provider.Server(family, "test")
		if err != nil {
			t.Fatal(err)
		}
		servers[provider.Address(family)] = newServer()
	}
	out, err := schemajson.Export(context.Background(), servers)
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	var back tfjson.ProviderSchemas
	if err := json.Unmarshal(data, &back); err != nil { // also validates format_version
		t.Fatalf("the exported JSON does not read back: %v", err)
	}
	return &back
}

// Both families are exported with every resource's identity and every list
// resource: what Terraform 1.11's `providers schema -json` leaves out.
func TestExportHasIdentitiesAndListResources(t *testing.T) {
	schemas := exportAll(t)
	if got, want := slices.Sorted(maps.Keys(schemas.Schemas)), []string{provider.Address("drone"), provider.Address("galaxias")}; !slices.Equal(got, want) {
		t.Fatalf("providers %v, want %v", got, want)
	}
	var lists []string
	resources := 0
	for address, ps := range schemas.Schemas {
		if ps.ConfigSchema == nil || len(ps.ConfigSchema.Block.Attributes) == 0 {
			t.Errorf("%s: no provider configuration schema", address)
		}
		if len(ps.DataSourceSchemas) == 0 {
			t.Errorf("%s: no data sources", address)
		}
		for name := range ps.ResourceSchemas {
			resources++
			id := ps.ResourceIdentitySchemas[name]
			if id == nil || len(id.Attributes) == 0 {
				t.Errorf("%s: no identity in the export", name)
				continue
			}
			for attr, a := range id.Attributes {
				if a.IdentityType == cty.NilType || !a.RequiredForImport || a.Description == "" {
					t.Errorf("%s: identity attribute %s: type %#v, required %v, description %q", name, attr, a.IdentityType, a.RequiredForImport, a.Description)
				}
				if _, ok := ps.ResourceSchemas[name].Block.Attributes[attr]; !ok {
					t.Errorf("%s: identity attribute %s is not an attribute of the resource", name, attr)
				}
			}
		}
		for name, s := range ps.ListResourceSchemas {
			lists = append(lists, name)
			if _, ok := ps.ResourceSchemas[name]; !ok {
				t.Errorf("list resource %s is no resource type of %s", name, address)
			}
			if s.Block == nil || s.Block.Description == "" {
				t.Errorf("list resource %s has no description", name)
			}
		}
	}
	if resources != 14 {
		t.Errorf("%d resources exported, want 14", resources)
	}
	slices.Sort(lists)
	if !slices.Equal(lists, wantLists) {
		t.Errorf("list resources %v, want %v", lists, wantLists)
	}
	// A list resource's schema is its config block, as tfplugindocs documents it.
	app := schemas.Schemas[provider.Address("galaxias")].ListResourceSchemas["galaxias_app"]
	if a := app.Block.Attributes["project_id"]; a == nil || !a.Required || !a.AttributeType.Equals(cty.Number) {
		t.Errorf("galaxias_app list: project_id %+v, want a required number", a)
	}
}

// fakeServer serves fixed schemas; the other RPCs are not called.
type fakeServer struct {
	tfprotov6.ProviderServer
	schema *tfprotov6.GetProviderSchemaResponse
	ids    *tfprotov6.GetResourceIdentitySchemasResponse
}

func (f fakeServer) GetProviderSchema(context.Context, *tfprotov6.GetProviderSchemaRequest) (*tfprotov6.GetProviderSchemaResponse, error) {
	return f.schema, nil
}

func (f fakeServer) GetResourceIdentitySchemas(context.Context, *tfprotov6.GetResourceIdentitySchemasRequest) (*tfprotov6.GetResourceIdentitySchemasResponse, error) {
	return f.ids, nil
}

// The conversion keeps what Terraform writes for nested attributes, nested
// blocks, collection and object types, description kinds and flags.
func TestExportConvertsLikeTerraform(t *testing.T) {
	obj := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"a": tftypes.String, "b": tftypes.Number}, OptionalAttributes: map[string]struct{}{"b": {}}}
	res := &tfprotov6.Schema{Version: 2, Block: &tfprotov6.SchemaBlock{
		Description: "A thing.", DescriptionKind: tfprotov6.StringKindMarkdown,
		Attributes: []*tfprotov6.SchemaAttribute{
			{Name: "id", Type: tftypes.String, Computed: true, Description: "Id."},
			{Name: "tags", Type: tftypes.Map{ElementType: tftypes.List{ElementType: obj}}, Optional: true, Sensitive: true, Deprecated: true},
			{Name: "secret", Type: tftypes.String, Optional: true, WriteOnly: true},
			{Name: "rules", Optional: true, NestedType: &tfprotov6.SchemaObject{
				Nesting:    tfprotov6.SchemaObjectNestingModeSet,
				Attributes: []*tfprotov6.SchemaAttribute{{Name: "port", Type: tftypes.Number, Required: true}},
			}},
		},
		BlockTypes: []*tfprotov6.SchemaNestedBlock{{
			TypeName: "timeouts", Nesting: tfprotov6.SchemaNestedBlockNestingModeList, MinItems: 1, MaxItems: 3,
			Block: &tfprotov6.SchemaBlock{Attributes: []*tfprotov6.SchemaAttribute{{Name: "create", Type: tftypes.String, Optional: true}}},
		}},
	}}
	s := fakeServer{
		schema: &tfprotov6.GetProviderSchemaResponse{
			Provider:            &tfprotov6.Schema{Block: &tfprotov6.SchemaBlock{}},
			ResourceSchemas:     map[string]*tfprotov6.Schema{"x_thing": res},
			ListResourceSchemas: map[string]*tfprotov6.Schema{"x_thing": {Block: &tfprotov6.SchemaBlock{Attributes: []*tfprotov6.SchemaAttribute{{Name: "q", Type: tftypes.Bool, Required: true}}}}},
		},
		ids: &tfprotov6.GetResourceIdentitySchemasResponse{IdentitySchemas: map[string]*tfprotov6.ResourceIdentitySchema{
			"x_thing": {Version: 1, IdentityAttributes: []*tfprotov6.ResourceIdentitySchemaAttribute{{Name: "id", Type: tftypes.String, RequiredForImport: true, Description: "Id."}}},
		}},
	}
	out, err := schemajson.Export(context.Background(), map[string]tfprotov6.ProviderServer{"registry.terraform.io/x/x": s})
	if err != nil {
		t.Fatal(err)
	}
	got, err := json.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"format_version":"1.0","provider_schemas":{"registry.terraform.io/x/x":{` +
		`"provider":{"version":0,"block":{"description_kind":"plain"}},` +
		`"resource_schemas":{"x_thing":{"version":2,"block":{"attributes":{` +
		`"id":{"type":"string","description":"Id.","description_kind":"plain","computed":true},` +
		`"rules":{"nested_type":{"attributes":{"port":{"type":"number","description_kind":"plain","required":true}},"nesting_mode":"set"},"description_kind":"plain","optional":true},` +
		`"secret":{"type":"string","description_kind":"plain","optional":true,"write_only":true},` +
		`"tags":{"type":["map",["list",["object",{"a":"string","b":"number"},["b"]]]],"description_kind":"plain","deprecated":true,"optional":true,"sensitive":true}},` +
		`"block_types":{"timeouts":{"nesting_mode":"list","block":{"attributes":{"create":{"type":"string","description_kind":"plain","optional":true}},"description_kind":"plain"},"min_items":1,"max_items":3}},` +
		`"description":"A thing.","description_kind":"markdown"}}},` +
		`"resource_identity_schemas":{"x_thing":{"version":1,"attributes":{"id":{"type":"string","description":"Id.","required_for_import":true}}}},` +
		`"list_resource_schemas":{"x_thing":{"version":0,"block":{"attributes":{"q":{"type":"bool","description_kind":"plain","required":true}},"description_kind":"plain"}}}}}}`
	if string(got) != want {
		t.Errorf("export:\n got %s\nwant %s", got, want)
	}

	// What it cannot write yet fails instead of going missing from the docs.
	s.schema.Functions = map[string]*tfprotov6.Function{"f": {}}
	if _, err := schemajson.Export(context.Background(), map[string]tfprotov6.ProviderServer{"x": s}); err == nil {
		t.Error("a provider with functions was exported without them")
	}
}
