// Package drone is the drone provider family: its configuration, a thin
// adapter over drone-go on the shared HTTP layer, and the drone_* resources
// and data sources.
package drone

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/galaxias/terraform-provider-galaxias/internal/httpx"
	"github.com/galaxias/terraform-provider-galaxias/internal/tfx"
)

// New returns the drone provider constructor for a version.
func New(version string) func() provider.Provider {
	return func() provider.Provider { return &droneProvider{version: version} }
}

type droneProvider struct{ version string }

type providerModel struct {
	Server types.String `tfsdk:"server"`
	Token  types.String `tfsdk:"token"`
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
	resp.Schema = schema.Schema{
		MarkdownDescription: "The `drone` provider manages Drone CI repositories, secrets, cron jobs, templates and " +
			"users. It is the `galaxias/drone` half of the terraform-provider-galaxias project.",
		Attributes: attrs,
	}
}

func (p *droneProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if cfg.Server.IsUnknown() || cfg.Token.IsUnknown() {
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
	c := NewClient(server, token, base)

	// Check the token once, and learn whether it is a system admin's.
	self, err := c.API(ctx).Self()
	if err != nil {
		resp.Diagnostics.AddError("Cannot use the Drone server", explainConnect(server, Wrap(err)))
		return
	}
	c.Self = self
	resp.ResourceData = c
	resp.DataSourceData = c
}

func explainConnect(server string, err error) string {
	var apiErr *APIError
	var netErr net.Error
	switch {
	case errors.As(err, &apiErr) && apiErr.Status == 401:
		return fmt.Sprintf("Drone at %s rejected the token (401 Unauthorized). Check token or DRONE_TOKEN: "+
			"it must be the API token of an existing, active Drone user.", server)
	case errors.As(err, &apiErr):
		return fmt.Sprintf("GET %s/api/user failed: %v", server, err)
	case httpx.IsCertificateError(err):
		return fmt.Sprintf("Cannot connect to Drone at %s: %v. %s", server, err, httpx.CertificateHint)
	case errors.As(err, &netErr):
		return fmt.Sprintf("Drone at %s is unreachable: %v. Check server or DRONE_SERVER, and that the server is running.", server, err)
	default:
		return fmt.Sprintf("GET %s/api/user failed: %v", server, err)
	}
}

func (p *droneProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		newRepoResource,
		newSecretResource,
		newOrgSecretResource,
		newCronResource,
		newTemplateResource,
		newUserResource,
	}
}

func (p *droneProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		newRepoDataSource,
		newReposDataSource,
		newUserDataSource,
		newUserSelfDataSource,
		newSecretsDataSource,
		newOrgSecretsDataSource,
		newUsersDataSource,
		newCronDataSource,
		newCronsDataSource,
		newTemplateDataSource,
		newTemplatesDataSource,
	}
}
