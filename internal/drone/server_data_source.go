package drone

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// serverModel is what the provider found out about the server in
// Configure.
type serverModel struct {
	ID               types.String `tfsdk:"id"`
	Server           types.String `tfsdk:"server"`
	Version          types.String `tfsdk:"version"`
	APIVersion       types.String `tfsdk:"api_version"`
	APIVersionSource types.String `tfsdk:"api_version_source"`
	User             types.String `tfsdk:"user"`
	Admin            types.Bool   `tfsdk:"admin"`
}

// serverLookup shows what the provider found out about the server in
// Configure; it sends no request of its own.
var serverLookup = &lookup[serverModel]{
	API:  droneAPI,
	Name: "server",
	Schema: schema.Schema{
		MarkdownDescription: "The Drone server the provider talks to, as it found it once per run: its version " +
			"and the API dialect the provider speaks with it (see the provider's `api_version`).",
		Attributes: map[string]schema.Attribute{
			"id":          computedString("The server's base URL."),
			"server":      computedString("The server's base URL."),
			"version":     computedString("The version the server reports (`GET /version` or the `X-Drone-Version` header); empty when it reports none."),
			"api_version": computedString("The API dialect in use: `1` (Drone 1.x and 2.x) or `0.8`."),
			"api_version_source": computedString("How it was chosen: `detected` from the reported version, `configured` " +
				"by `api_version` or `DRONE_API_VERSION`, or `assumed` (1.x) for a server that reports no version."),
			"user":  computedString("Login of the token's user."),
			"admin": schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether the token's user is a Drone system administrator."},
		},
	},
	Read: func(_ context.Context, o request, m *serverModel) error {
		info := o.Client.Info
		m.ID, m.Server, m.Version = types.StringValue(info.Server), types.StringValue(info.Server), types.StringValue(info.Version)
		m.APIVersion, m.APIVersionSource = types.StringValue(string(info.API)), types.StringValue(info.Source)
		m.User, m.Admin = types.StringValue(o.Client.self.Login), types.BoolValue(o.Client.self.Admin)
		return nil
	},
}
