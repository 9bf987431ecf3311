package nullprovider

import (
	"context"
	"fmt"
	"sync/atomic"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/galaxias/terraform-provider-galaxias/internal/drone"
	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias"
)

// shaped is a resource with the schema of a real resource type, taken from
// the real provider (validators, defaults and plan modifiers included), and
// no API: its CRUD only decodes and encodes the whole object. Against the
// real resource it separates what Terraform core and the framework cost for
// that shape from what the provider's API work adds.
type shaped struct {
	typeName string // the real type name, e.g. galaxias_app; served as benchnull_<typeName>
	real     resource.Resource
	// id computes the id of a new resource from its planned attributes.
	id func(attrs map[string]attr.Value) attr.Value
}

var _ resource.ResourceWithConfigValidators = shaped{}

// realResource returns the resource typeName of a real provider.
func realResource(p provider.Provider, typeName string) resource.Resource {
	var md provider.MetadataResponse
	p.Metadata(context.Background(), provider.MetadataRequest{}, &md)
	for _, f := range p.Resources(context.Background()) {
		r := f()
		var rmd resource.MetadataResponse
		r.Metadata(context.Background(), resource.MetadataRequest{ProviderTypeName: md.TypeName}, &rmd)
		if rmd.TypeName == typeName {
			return r
		}
	}
	panic("nullprovider: the " + md.TypeName + " provider has no " + typeName)
}

func str(v attr.Value) string {
	if s, ok := v.(types.String); ok {
		return s.ValueString()
	}
	if i, ok := v.(types.Int64); ok {
		return fmt.Sprint(i.ValueInt64())
	}
	return ""
}

// droneSecret has the schema of drone_secret; its id is repository/name.
func droneSecret() resource.Resource {
	return shaped{typeName: "drone_secret", real: realResource(drone.New("bench")(), "drone_secret"),
		id: func(a map[string]attr.Value) attr.Value {
			return types.StringValue(str(a["repository"]) + "/" + str(a["name"]))
		}}
}

// lastID numbers the galaxias twins' records, as a server would.
var lastID atomic.Int64

func serialID(map[string]attr.Value) attr.Value { return types.Int64Value(lastID.Add(1)) }

// galaxiasApp, galaxiasEnvironment and galaxiasAppConfig have the schemas
// of galaxias_app, galaxias_environment and galaxias_app_config. The app and
// the environment get serial numeric ids; an app config's id is
// app_id/project_environment_id, as the real one's.
func galaxiasApp() resource.Resource {
	return shaped{typeName: "galaxias_app", real: realResource(galaxias.New("bench")(), "galaxias_app"), id: serialID}
}

func galaxiasEnvironment() resource.Resource {
	return shaped{typeName: "galaxias_environment", real: realResource(galaxias.New("bench")(), "galaxias_environment"), id: serialID}
}

func galaxiasAppConfig() resource.Resource {
	return shaped{typeName: "galaxias_app_config", real: realResource(galaxias.New("bench")(), "galaxias_app_config"),
		id: func(a map[string]attr.Value) attr.Value {
			return types.StringValue(str(a["app_id"]) + "/" + str(a["project_environment_id"]))
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

// Create sets the id and gives every other attribute still unknown after
// the plan (what the server would compute) a zero value of its type (null
// for collections).
func (s shaped) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var obj types.Object
	resp.Diagnostics.Append(req.Plan.Get(ctx, &obj)...)
	if resp.Diagnostics.HasError() {
		return
	}
	attrs := obj.Attributes()
	attrs["id"] = s.id(attrs)
	for k, v := range attrs {
		if !v.IsUnknown() {
			continue
		}
		switch v.(type) {
		case types.String:
			attrs[k] = types.StringValue("")
		case types.Int64:
			attrs[k] = types.Int64Value(0)
		case types.Bool:
			attrs[k] = types.BoolValue(false)
		default: // sets, lists, maps, objects: null, which a computed attribute may be
			t := v.Type(ctx)
			null, err := t.ValueFromTerraform(ctx, tftypes.NewValue(t.TerraformType(ctx), nil))
			if err != nil {
				resp.Diagnostics.AddError("benchnull", fmt.Sprintf("%s: %v", k, err))
				continue
			}
			attrs[k] = null
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
