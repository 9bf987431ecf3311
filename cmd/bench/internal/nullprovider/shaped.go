package nullprovider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/galaxias/terraform-provider-galaxias/internal/drone"
)

// shaped is a resource with the schema of a real resource type, taken from
// the real provider (validators, defaults and plan modifiers included), and
// no API: its CRUD only decodes and encodes the whole object. Against the
// real resource it separates what Terraform core and the framework cost for
// that shape from what the provider's API work adds.
type shaped struct {
	typeName string
	real     resource.Resource
	id       func(attrs map[string]types.String) string
}

var _ resource.ResourceWithConfigValidators = shaped{}

// droneSecret has the schema of drone_secret; its id is repository/name.
func droneSecret() resource.Resource {
	var real resource.Resource
	for _, f := range drone.New("bench")().Resources(context.Background()) {
		r := f()
		var md resource.MetadataResponse
		r.Metadata(context.Background(), resource.MetadataRequest{ProviderTypeName: "drone"}, &md)
		if md.TypeName == "drone_secret" {
			real = r
		}
	}
	if real == nil {
		panic("nullprovider: the drone provider has no drone_secret")
	}
	return shaped{typeName: "drone_secret", real: real, id: func(a map[string]types.String) string {
		return a["repository"].ValueString() + "/" + a["name"].ValueString()
	}}
}

func (s shaped) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + s.typeName
}

func (s shaped) Schema(ctx context.Context, req resource.SchemaRequest, resp *resource.SchemaResponse) {
	s.real.Schema(ctx, req, resp)
}

// ConfigValidators are the real resource's, so that validation costs the same.
func (s shaped) ConfigValidators(ctx context.Context) []resource.ConfigValidator {
	if v, ok := s.real.(resource.ResourceWithConfigValidators); ok {
		return v.ConfigValidators(ctx)
	}
	return nil
}

func (s shaped) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var obj types.Object
	resp.Diagnostics.Append(req.Plan.Get(ctx, &obj)...)
	if resp.Diagnostics.HasError() {
		return
	}
	attrs := obj.Attributes()
	strs := map[string]types.String{}
	for k, v := range attrs {
		if sv, ok := v.(types.String); ok {
			strs[k] = sv
		}
	}
	attrs["id"] = types.StringValue(s.id(strs))
	for k, v := range attrs {
		if sv, ok := v.(types.String); ok && k != "id" && sv.IsUnknown() {
			resp.Diagnostics.AddError("benchnull", fmt.Sprintf("%s is unknown after apply", k))
		}
	}
	out, d := types.ObjectValue(obj.AttributeTypes(ctx), attrs)
	resp.Diagnostics.Append(d...)
	resp.Diagnostics.Append(resp.State.Set(ctx, out)...)
}

func (s shaped) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var obj types.Object
	resp.Diagnostics.Append(req.State.Get(ctx, &obj)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, obj)...)
}

func (s shaped) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var obj types.Object
	resp.Diagnostics.Append(req.Plan.Get(ctx, &obj)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, obj)...)
}

func (shaped) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}
