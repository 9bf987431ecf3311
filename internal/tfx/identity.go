package tfx

import (
	"context"
	"fmt"
	"math/big"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Identity is a resource's identity (Terraform ≥ 1.12): the attributes of
// its schema that address the object, in the order of the parts of its
// import id. Each is a string or an int64 attribute of the schema, and none
// may change without replacing the object. Create, Read and Update return
// the identity with the state; an import by identity joins its values with
// "/" into the import id, so both ways of importing go through Import.
type Identity []string

var _ resource.ResourceWithIdentity = (*crudResource[any, struct{}])(nil)

// identitySchema builds the identity schema from the resource's schema. A
// name that is not a string or int64 attribute is a programming error: it
// panics, from New.
func identitySchema(s map[string]schema.Attribute, id Identity) identityschema.Schema {
	attrs := make(map[string]identityschema.Attribute, len(id))
	for _, name := range id {
		a, ok := s[name]
		if !ok {
			panic(fmt.Sprintf("tfx.Identity: the schema has no attribute %q", name))
		}
		desc := a.GetMarkdownDescription()
		switch a.GetType() {
		case types.StringType:
			attrs[name] = identityschema.StringAttribute{RequiredForImport: true, Description: desc}
		case types.Int64Type:
			attrs[name] = identityschema.Int64Attribute{RequiredForImport: true, Description: desc}
		default:
			panic(fmt.Sprintf("tfx.Identity: attribute %q is neither a string nor an int64", name))
		}
	}
	return identityschema.Schema{Attributes: attrs}
}

func (r *crudResource[C, M]) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = r.identity
}

// identityOf returns the identity of a state's value: null where the state
// has no known value.
func (r *crudResource[C, M]) identityOf(ctx context.Context, state tftypes.Value) tftypes.Value {
	typ := r.identity.Type().TerraformType(ctx).(tftypes.Object)
	var attrs map[string]tftypes.Value
	if !state.IsNull() && state.IsKnown() {
		_ = state.As(&attrs)
	}
	vals := make(map[string]tftypes.Value, len(typ.AttributeTypes))
	for name, t := range typ.AttributeTypes {
		v, ok := attrs[name]
		if !ok || !v.IsKnown() {
			v = tftypes.NewValue(t, nil)
		}
		vals[name] = v
	}
	return tftypes.NewValue(typ, vals)
}

// setIdentity sets the identity of a saved state.
func (r *crudResource[C, M]) setIdentity(ctx context.Context, state tfsdk.State, id *tfsdk.ResourceIdentity) {
	if id != nil && !state.Raw.IsNull() {
		id.Raw = r.identityOf(ctx, state.Raw)
	}
}

// keepIdentity ends a Read that kept the prior state or removed it: the
// identity stays as it was. A state saved by a provider without identities
// has none, and the framework refuses a Read that returns none, so it gets
// the prior state's; where even that addresses nothing (a state that Read
// removes unread), zero values stand in, as Terraform drops the identity
// of a removed object.
func (r *crudResource[C, M]) keepIdentity(ctx context.Context, prior tftypes.Value, id *tfsdk.ResourceIdentity) {
	if id == nil || !id.Raw.IsFullyNull() {
		return
	}
	id.Raw = r.identityOf(ctx, prior)
	if !id.Raw.IsFullyNull() {
		return
	}
	typ := r.identity.Type().TerraformType(ctx).(tftypes.Object)
	vals := make(map[string]tftypes.Value, len(typ.AttributeTypes))
	for name, t := range typ.AttributeTypes {
		if t.Is(tftypes.Number) {
			vals[name] = tftypes.NewValue(t, big.NewFloat(0))
		} else {
			vals[name] = tftypes.NewValue(t, "")
		}
	}
	id.Raw = tftypes.NewValue(typ, vals)
}

// ImportState imports by an import id or, from an import block, by an
// identity, which stands for the import id its values make.
func (r *crudResource[C, M]) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if r.notConfigured(&resp.Diagnostics, "Importing") {
		return
	}
	id := req.ID
	if id == "" { // an import block with an identity
		if id = r.importID(req.Identity, &resp.Diagnostics); id == "" {
			return
		}
	}
	m, err := r.imported(ctx, r.request(tfsdk.Config{}, &resp.Diagnostics), id)
	if err != nil {
		r.report(&resp.Diagnostics, OpImport, m, err)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
	r.savePrivate(ctx, resp.Private, &resp.Diagnostics)
}

// imported returns the model that Import makes of an import id, starting
// from a model whose attributes are all null.
func (r *crudResource[C, M]) imported(ctx context.Context, o Request[C], id string) (*M, error) {
	m := new(M)
	typ := r.crud.Schema.Type().TerraformType(ctx).(tftypes.Object)
	nulls := make(map[string]tftypes.Value, len(typ.AttributeTypes))
	for name, t := range typ.AttributeTypes {
		nulls[name] = tftypes.NewValue(t, nil)
	}
	state := tfsdk.State{Schema: r.crud.Schema, Raw: tftypes.NewValue(typ, nulls)}
	if o.Diags.Append(state.Get(ctx, m)...); o.Diags.HasError() {
		return m, ErrReported
	}
	return m, r.crud.Import(ctx, o, id, m)
}

// importID returns the import id that an identity stands for: its values
// joined with "/" in the order of CRUD.Identity.
func (r *crudResource[C, M]) importID(id *tfsdk.ResourceIdentity, diags *diag.Diagnostics) string {
	var attrs map[string]tftypes.Value
	if id == nil || id.Raw.IsNull() || id.Raw.As(&attrs) != nil {
		diags.AddError("Missing import id", "Import needs an id or an identity.")
		return ""
	}
	parts := make([]string, 0, len(r.crud.Identity))
	for _, name := range r.crud.Identity {
		v := attrs[name]
		var s string
		var n big.Float
		switch {
		case !v.IsKnown() || v.IsNull():
			diags.AddError("Invalid import identity", fmt.Sprintf("The identity attribute %q must be set.", name))
			return ""
		case v.Type().Is(tftypes.Number) && v.As(&n) == nil:
			s = n.Text('f', -1)
		case v.As(&s) != nil:
			diags.AddError("Invalid import identity", fmt.Sprintf("The identity attribute %q is not a string.", name))
			return ""
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "/")
}
