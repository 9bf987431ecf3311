// Package nullprovider is a provider that calls no API, for the benchmark
// only: benchnull_item has the shape of a small galaxias resource and does
// the usual framework work in every operation (decode the state or plan into
// a model, encode it back), but no HTTP. Against terraform_data it shows what
// the plugin protocol and the framework cost; against the real providers,
// what their HTTP clients and APIs cost. benchnull_drone_secret,
// benchnull_galaxias_app, benchnull_galaxias_environment and
// benchnull_galaxias_app_config have the real types' schemas and no API (the
// benchmark's same-shape twins), to tell the cost of a resource's shape from
// the cost of its API. It is never released.
package nullprovider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Address is the provider's source address in the benchmark's CLI configuration.
const Address = "registry.terraform.io/galaxias/benchnull"

// New returns the provider.
func New() provider.Provider { return nullProvider{} }

type nullProvider struct{}

func (nullProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "benchnull"
}

func (nullProvider) Schema(context.Context, provider.SchemaRequest, *provider.SchemaResponse) {}

func (nullProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}

func (nullProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		func() resource.Resource { return item{} },
		droneSecret, galaxiasApp, galaxiasEnvironment, galaxiasAppConfig,
	}
}

func (nullProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }

type item struct{}

type itemModel struct {
	ID          types.String `tfsdk:"id"`
	Name        types.String `tfsdk:"name"`
	Description types.String `tfsdk:"description"`
}

func (item) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_item"
}

func (item) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{Attributes: map[string]schema.Attribute{
		"id": schema.StringAttribute{Computed: true, PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}},
		"name": schema.StringAttribute{Required: true,
			PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()}},
		"description": schema.StringAttribute{Optional: true},
	}}
}

func (item) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m itemModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	m.ID = m.Name
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (item) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var m itemModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (item) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var m itemModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (item) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}
