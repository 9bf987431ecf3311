package drone

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/galaxias/terraform-provider-galaxias/internal/tfx"
)

var _ datasource.DataSourceWithConfigure = (*serverDataSource)(nil)

func newServerDataSource() datasource.DataSource { return &serverDataSource{} }

// serverDataSource shows what the provider found out about the server in
// Configure; it sends no request of its own.
type serverDataSource struct{ conn *conn }

func (d *serverDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.conn, _ = tfx.ProviderData[*conn](req.ProviderData, &resp.Diagnostics)
}

func (d *serverDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_server"
}

func (d *serverDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	computed := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Computed: true, MarkdownDescription: desc}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "The Drone server the provider talks to, as it found it once per run: its version " +
			"and the API dialect the provider speaks with it (see the provider's `api_version`).",
		Attributes: map[string]schema.Attribute{
			"id":          computed("The server's base URL."),
			"server":      computed("The server's base URL."),
			"version":     computed("The version the server reports (`GET /version` or the `X-Drone-Version` header); empty when it reports none."),
			"api_version": computed("The API dialect in use: `1` (Drone 1.x and 2.x) or `0.8`."),
			"api_version_source": computed("How it was chosen: `detected` from the reported version, `configured` " +
				"by `api_version` or `DRONE_API_VERSION`, or `assumed` (1.x) for a server that reports no version."),
			"user":  computed("Login of the token's user."),
			"admin": schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether the token's user is a Drone system administrator."},
		},
	}
}

func (d *serverDataSource) Read(ctx context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	if d.conn == nil {
		tfx.NotConfigured(&resp.Diagnostics, "drone", "Reading data source drone_server")
		return
	}
	info := d.conn.Info
	for name, v := range map[string]any{
		"id": info.Server, "server": info.Server, "version": info.Version, "api_version": string(info.API),
		"api_version_source": info.Source, "user": d.conn.self.Login, "admin": d.conn.self.Admin,
	} {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(name), v)...)
	}
}
