package tfx

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Resource identity through the framework's requests and responses: each
// operation that saves a state returns its identity, and an import block's
// identity imports like the import id its values make.

// nullIdentity is the identity the framework passes to a resource with an
// identity schema before the resource sets it.
func nullIdentity(t *testing.T, r resource.Resource) *tfsdk.ResourceIdentity {
	t.Helper()
	var resp resource.IdentitySchemaResponse
	r.(resource.ResourceWithIdentity).IdentitySchema(context.Background(), resource.IdentitySchemaRequest{}, &resp)
	return &tfsdk.ResourceIdentity{Schema: resp.IdentitySchema,
		Raw: tftypes.NewValue(resp.IdentitySchema.Type().TerraformType(context.Background()), nil)}
}

func identityValue(t *testing.T, id *tfsdk.ResourceIdentity, name string) types.String {
	t.Helper()
	var v types.String
	if d := id.GetAttribute(context.Background(), path.Root(name), &v); d.HasError() {
		t.Fatalf("identity attribute %q: %v", name, d)
	}
	return v
}

func TestCRUDIdentitySchema(t *testing.T) {
	r := widgetResource(func(*widget, *diag.Diagnostics) error { return nil }, nil)
	id := nullIdentity(t, r)
	a, ok := id.Schema.(identityschema.Schema).Attributes["id"].(identityschema.StringAttribute)
	if !ok || !a.RequiredForImport || len(id.Schema.(identityschema.Schema).Attributes) != 1 {
		t.Errorf("identity schema %#v, want the string attribute id, required for import", id.Schema)
	}
	s := identitySchema(map[string]schema.Attribute{"n": schema.Int64Attribute{Required: true}}, Identity{"n"})
	if _, ok := s.Attributes["n"].(identityschema.Int64Attribute); !ok {
		t.Errorf("identity of an int64 attribute: %#v, want an Int64Attribute", s.Attributes["n"])
	}
}

func TestCRUDNewRefusesABadIdentity(t *testing.T) {
	for _, id := range []Identity{nil, {"nope"}} {
		func() {
			defer func() {
				if p := recover(); p == nil {
					t.Errorf("New with identity %q did not panic", id)
				}
			}()
			spec := widgetCRUD(func(*widget, *diag.Diagnostics) error { return nil }, nil)
			spec.Identity = id
			spec.New()
		}()
	}
}

func TestCRUDCreateAndUpdateReturnTheIdentity(t *testing.T) {
	r := widgetResource(func(m *widget, _ *diag.Diagnostics) error { m.ID = types.StringValue("w-1"); return nil }, nil)
	creq := resource.CreateRequest{Plan: tfsdk.Plan{Schema: widgetSchema, Raw: widgetValue(tftypes.UnknownValue)}}
	cresp := resource.CreateResponse{State: tfsdk.State{Schema: widgetSchema, Raw: tftypes.NewValue(widgetType, nil)},
		Identity: nullIdentity(t, r)}
	r.Create(context.Background(), creq, &cresp)
	if got := identityValue(t, cresp.Identity, "id"); got.ValueString() != "w-1" || cresp.Diagnostics.HasError() {
		t.Errorf("identity after create: %v (%q), want id w-1", got, summaries(cresp.Diagnostics))
	}

	ureq := resource.UpdateRequest{Plan: tfsdk.Plan{Schema: widgetSchema, Raw: widgetValue("w-1")},
		State: tfsdk.State{Schema: widgetSchema, Raw: widgetValue("w-1")}}
	uresp := resource.UpdateResponse{State: ureq.State, Identity: nullIdentity(t, r)}
	r.Update(context.Background(), ureq, &uresp)
	if got := identityValue(t, uresp.Identity, "id"); got.ValueString() != "w-1" || uresp.Diagnostics.HasError() {
		t.Errorf("identity after update: %v (%q), want id w-1", got, summaries(uresp.Diagnostics))
	}
}

func TestCRUDReadReturnsTheIdentity(t *testing.T) {
	for _, tc := range []struct {
		name    string
		state   tftypes.Value
		outcome error
		want    string
	}{
		// The identity is the one of what Read found, so that Terraform
		// sees a swapped object.
		{"read", widgetValue("w-1"), nil, "w-2"},
		// A state saved without identity that Read removes gets the
		// prior state's (the framework refuses a Read without one).
		{"gone", widgetValue("w-1"), errGone, "w-1"},
		{"unidentified", widgetValue(""), nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			spec := widgetCRUD(func(m *widget, _ *diag.Diagnostics) error { m.ID = types.StringValue("w-2"); return tc.outcome }, nil)
			spec.Identified = func(m *widget) bool { return m.ID.ValueString() != "" }
			r := configured(spec)
			req := resource.ReadRequest{State: tfsdk.State{Schema: widgetSchema, Raw: tc.state}}
			resp := resource.ReadResponse{State: req.State, Identity: nullIdentity(t, r)}
			r.Read(context.Background(), req, &resp)
			if resp.Identity.Raw.IsFullyNull() || resp.Diagnostics.HasError() {
				t.Fatalf("identity after read: %v (%q), want one", resp.Identity.Raw, summaries(resp.Diagnostics))
			}
			if got := identityValue(t, resp.Identity, "id"); got.ValueString() != tc.want {
				t.Errorf("identity after read: %v, want id %q", got, tc.want)
			}
		})
	}
}

func TestCRUDImportByIdentity(t *testing.T) {
	var got []string
	spec := widgetCRUD(func(*widget, *diag.Diagnostics) error { return nil }, nil)
	spec.Identity = Identity{"name", "id"}
	spec.Import = func(_ context.Context, _ Request[string], id string, m *widget) error {
		got = append(got, id)
		p, err := SplitID(id, "name", "id")
		if err != nil {
			return err
		}
		m.Name, m.ID = types.StringValue(p[0]), types.StringValue(p[1])
		return nil
	}
	r := configured(spec)
	identity := func(name, id any) *tfsdk.ResourceIdentity {
		ident := nullIdentity(t, r)
		ident.Raw = tftypes.NewValue(ident.Raw.Type(), map[string]tftypes.Value{
			"name": tftypes.NewValue(tftypes.String, name), "id": tftypes.NewValue(tftypes.String, id)})
		return ident
	}
	importBy := func(id string, ident *tfsdk.ResourceIdentity) (widget, diag.Diagnostics) {
		req := resource.ImportStateRequest{ID: id, Identity: ident}
		resp := resource.ImportStateResponse{State: tfsdk.State{Schema: widgetSchema, Raw: tftypes.NewValue(widgetType, nil)},
			Identity: ident}
		r.(resource.ResourceWithImportState).ImportState(context.Background(), req, &resp)
		var m widget
		if !resp.Diagnostics.HasError() {
			resp.Diagnostics.Append(resp.State.Get(context.Background(), &m)...)
		}
		return m, resp.Diagnostics
	}

	m, diags := importBy("", identity("w", "w-7"))
	if diags.HasError() || m.Name.ValueString() != "w" || m.ID.ValueString() != "w-7" || strings.Join(got, ",") != "w/w-7" {
		t.Errorf("import by identity: state %+v, Import got %q (%q); want name w, id w-7 from w/w-7", m, got, summaries(diags))
	}
	got = nil
	if m, diags := importBy("a/b", nullIdentity(t, r)); diags.HasError() || m.ID.ValueString() != "b" || strings.Join(got, ",") != "a/b" {
		t.Errorf("import by id: state %+v, Import got %q (%q)", m, got, summaries(diags))
	}
	got = nil
	if _, diags := importBy("", identity("w", nil)); !strings.Contains(summaries(diags), "Error: Invalid import identity") || got != nil {
		t.Errorf("import by an identity without id: %q, Import got %q; want an error and no call", summaries(diags), got)
	}
}
