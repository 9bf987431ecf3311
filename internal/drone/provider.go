// Package drone is the drone provider family: its configuration and the
// drone_* resources and data sources. They reach the server through
// internal/drone/client, in the dialect the server speaks
// (Drone 1.x or 0.8), found once per run by Configure.
package drone

import (
	"context"
	"errors"
	"fmt"
	"net/url"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/galaxias/terraform-provider-galaxias/internal/drone/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/httpx"
	"github.com/galaxias/terraform-provider-galaxias/internal/tfx"
)

// New returns the drone provider constructor for a version.
func New(version string) func() provider.Provider {
	return func() provider.Provider { return &droneProvider{version: version} }
}

type droneProvider struct{ version string }

type providerModel struct {
	Server     types.String `tfsdk:"server"`
	Token      types.String `tfsdk:"token"`
	APIVersion types.String `tfsdk:"api_version"`
	tfx.HTTPSettings
}

func (p *droneProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "drone"
	resp.Version = p.version
}

func (p *droneProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	attrs := tfx.HTTPSettingsAttributes("DRONE")
	attrs["server"] = schema.StringAttribute{
		Optional:            true,
		MarkdownDescription: "Base URL of the Drone server, e.g. `https://drone.example.com`. Env `DRONE_SERVER`.",
		Validators:          []validator.String{tfx.URL()},
	}
	attrs["token"] = schema.StringAttribute{
		Optional:            true,
		Sensitive:           true,
		MarkdownDescription: "Drone API token (Drone UI → User settings). Env `DRONE_TOKEN`.",
	}
	attrs["api_version"] = schema.StringAttribute{
		Optional: true,
		MarkdownDescription: "The Drone API dialect to speak: `auto` (default) finds it from the version the " +
			"server reports (`GET /version`, or its `X-Drone-Version` header), once per run; `1` for Drone 1.x and " +
			"2.x; `0.8` for Drone 0.8. A server that reports no version is taken for 1.x. The " +
			"`drone_server` data source shows what was found. Env `DRONE_API_VERSION`.",
		Validators: []validator.String{stringvalidator.OneOf(client.APIVersions...)},
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "The `drone` provider manages Drone CI repositories, secrets, cron jobs, templates and " +
			"users, on Drone 1.x and 2.x and on Drone 0.8. It is the `galaxias/drone` half of the " +
			"terraform-provider-galaxias project.",
		Attributes: attrs,
	}
}

func (p *droneProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if cfg.Server.IsUnknown() || cfg.Token.IsUnknown() || cfg.APIVersion.IsUnknown() {
		// Known only after apply (e.g. from another resource): resources
		// will be configured in a later walk.
		return
	}
	server := tfx.StringEnv(cfg.Server, "DRONE_SERVER").ValueString()
	token := tfx.StringEnv(cfg.Token, "DRONE_TOKEN").ValueString()
	if server == "" {
		resp.Diagnostics.AddAttributeError(path.Root("server"), "Missing Drone server",
			"Set server in the provider block or the DRONE_SERVER environment variable.")
	} else if u, err := url.Parse(server); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		resp.Diagnostics.AddAttributeError(path.Root("server"), "Invalid Drone server",
			fmt.Sprintf("server must be an absolute http:// or https:// URL, got %q.", server))
	}
	if token == "" {
		resp.Diagnostics.AddAttributeError(path.Root("token"), "Missing Drone token",
			"Set token in the provider block or the DRONE_TOKEN environment variable.")
	}
	opts := cfg.HTTPSettings.WithEnv("DRONE").Options("drone", p.version, []string{token}, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	base, err := httpx.New(opts)
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("ca_cert"), "Invalid TLS settings", err.Error())
		return
	}
	configured, err := client.ParseAPIVersion(tfx.StringEnv(cfg.APIVersion, "DRONE_API_VERSION").ValueString())
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("api_version"), "Invalid Drone API version", err.Error()+
			" (from api_version or DRONE_API_VERSION).")
		return
	}
	c := client.New(server, token, base)

	// Check the token once, and learn whether it is a system admin's (both
	// dialects answer GET /api/user alike); then find the server's API
	// dialect.
	self, err := client.NewDialect(c, client.ServerInfo{API: client.API1}).Users.Self(ctx)
	if err != nil {
		resp.Diagnostics.AddError("Cannot use the Drone server", explainConnect(server, err))
		return
	}
	dialect, warning, err := client.Connect(ctx, c, configured)
	if err != nil {
		resp.Diagnostics.AddError("Cannot find the Drone server's API version", err.Error())
		return
	}
	if warning != "" {
		resp.Diagnostics.AddAttributeWarning(path.Root("api_version"), "Drone API version differs from the server's", warning)
	}
	tflog.Info(ctx, "Drone server", map[string]any{"server": server, "version": dialect.Info.Version,
		"api_version": string(dialect.Info.API), "source": dialect.Info.Source})
	data := &conn{Dialect: dialect, self: *self}
	resp.ResourceData = data
	resp.ListResourceData = data
	resp.DataSourceData = data
}

func explainConnect(server string, err error) string {
	if msg, ok := tfx.ExplainUnreachable("Drone", server, "Check server or DRONE_SERVER, and that the server is running.", err); ok {
		return msg
	}
	var apiErr *client.APIError
	switch {
	case errors.As(err, &apiErr) && apiErr.Status == 401:
		return fmt.Sprintf("Drone at %s rejected the token (401 Unauthorized). Check token or DRONE_TOKEN: "+
			"it must be the API token of an existing, active Drone user.", server)
	case errors.As(err, &apiErr):
		return fmt.Sprintf("GET %s/api/user failed: %v", server, err)
	default:
		return fmt.Sprintf("GET %s/api/user failed: %v", server, err)
	}
}

func (p *droneProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		repoResource.New,
		secretResource.New,
		orgSecretResource.New,
		cronResource.New,
		templateResource.New,
		userResource.New,
	}
}

func (p *droneProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		repoLookup.New,
		reposLookup.New,
		userLookup.New,
		userSelfLookup.New,
		secretsLookup.New,
		orgSecretsLookup.New,
		usersLookup.New,
		cronLookup.New,
		cronsLookup.New,
		templateLookup.New,
		templatesLookup.New,
		serverLookup.New,
	}
}
