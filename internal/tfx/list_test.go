package tfx

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// A Lister over the widget CRUD: what List finds, with include_resource
// imported and read by the resource's own Import and Read.

type noConfig struct{}

var pathID, pathName = path.Root("id"), path.Root("name")

func widgetLister() *Lister[string, widget, noConfig] {
	spec := widgetCRUD(func(m *widget, _ *diag.Diagnostics) error {
		if m.ID.ValueString() == "b" {
			return errGone // deleted between the list and the read
		}
		m.Name = types.StringValue("read-" + m.ID.ValueString())
		return nil
	}, nil)
	spec.Import = func(_ context.Context, _ Request[string], id string, m *widget) error {
		m.ID = types.StringValue(id)
		return nil
	}
	return &Lister[string, widget, noConfig]{
		Resource: spec,
		List: func(context.Context, Request[string], *noConfig) ([]widget, error) {
			var out []widget
			for _, id := range []string{"a", "b", "c"} {
				out = append(out, widget{ID: types.StringValue(id), Name: types.StringValue("listed-" + id)})
			}
			return out, nil
		},
		DisplayName: func(m *widget) string { return "widget " + m.Name.ValueString() },
	}
}

func runList(t *testing.T, r list.ListResource, include bool, limit int64) []list.ListResult {
	t.Helper()
	ctx := context.Background()
	cfgSchema := listschema.Schema{}
	req := list.ListRequest{
		Config:                 tfsdk.Config{Schema: cfgSchema, Raw: tftypes.NewValue(tftypes.Object{AttributeTypes: map[string]tftypes.Type{}}, map[string]tftypes.Value{})},
		IncludeResource:        include,
		Limit:                  limit,
		ResourceSchema:         widgetSchema,
		ResourceIdentitySchema: identitySchema(widgetSchema.Attributes, Identity{"id"}),
	}
	var stream list.ListResultsStream
	r.List(ctx, req, &stream)
	var out []list.ListResult
	for res := range stream.Results {
		out = append(out, res)
	}
	return out
}

func listedIDs(t *testing.T, results []list.ListResult) []string {
	t.Helper()
	var ids []string
	for _, r := range results {
		if r.Diagnostics.HasError() {
			t.Fatalf("%q: %v", r.DisplayName, r.Diagnostics)
		}
		var id types.String
		if d := r.Identity.GetAttribute(context.Background(), pathID, &id); d.HasError() {
			t.Fatal(d)
		}
		ids = append(ids, id.ValueString())
	}
	return ids
}

func TestListerResults(t *testing.T) {
	r := widgetLister().New()
	r.(list.ListResourceWithConfigure).Configure(context.Background(), resource.ConfigureRequest{ProviderData: "client"}, &resource.ConfigureResponse{})

	results := runList(t, r, false, 0)
	if got := strings.Join(listedIDs(t, results), ","); got != "a,b,c" {
		t.Errorf("identities %s, want a,b,c", got)
	}
	for _, res := range results {
		if !res.Resource.Raw.IsNull() {
			t.Errorf("%q: an object without include_resource", res.DisplayName)
		}
	}
	if results[0].DisplayName != "widget listed-a" {
		t.Errorf("display name %q", results[0].DisplayName)
	}

	// With include_resource: imported and read; b, gone, is left out.
	results = runList(t, r, true, 0)
	if got := strings.Join(listedIDs(t, results), ","); got != "a,c" {
		t.Errorf("identities %s with include_resource, want a,c", got)
	}
	var name types.String
	if d := results[0].Resource.GetAttribute(context.Background(), pathName, &name); d.HasError() || name.ValueString() != "read-a" {
		t.Errorf("object name %v %v, want what Read saves (read-a)", name, d)
	}

	if got := strings.Join(listedIDs(t, runList(t, r, false, 2)), ","); got != "a,b" {
		t.Errorf("limit 2: %s", got)
	}
}

func TestListerNotConfigured(t *testing.T) {
	results := runList(t, widgetLister().New(), false, 0)
	if len(results) != 1 || !results[0].Diagnostics.HasError() ||
		!strings.Contains(results[0].Diagnostics[0].Summary()+results[0].Diagnostics[0].Detail(), "Listing test_thing") {
		t.Fatalf("unconfigured list: %+v", results)
	}
}
