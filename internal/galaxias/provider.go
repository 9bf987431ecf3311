// Package galaxias is the galaxias provider family: its configuration and the
// galaxias_* resources and data sources, on the client in ./client.
package galaxias

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/galaxias/terraform-provider-galaxias/internal/tfx"
)

// New returns the galaxias provider constructor for a version.
func New(version string) func() provider.Provider {
	return func() provider.Provider { return &galaxiasProvider{version: version} }
}

type galaxiasProvider struct{ version string }

type providerModel struct {
	Endpoint types.String `tfsdk:"endpoint"`
	Token    types.String `tfsdk:"token"`
	Username types.String `tfsdk:"username"`
	Password types.String `tfsdk:"password"`
	tfx.HTTPSettings
}

func (p *galaxiasProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "galaxias"
	resp.Version = p.version
}

func (p *galaxiasProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	attrs := tfx.HTTPSettingsAttributes("GALAXIAS")
	attrs["endpoint"] = schema.StringAttribute{
		Optional:            true,
		MarkdownDescription: "Base URL of the Galaxias API, e.g. `http://galaxias.example.com:8888`. Env `GALAXIAS_ENDPOINT`.",
		Validators:          []validator.String{tfx.URL()},
	}
	attrs["token"] = schema.StringAttribute{
		Optional: true, Sensitive: true,
		MarkdownDescription: "API token (a JWT). Env `GALAXIAS_TOKEN`. Conflicts with `username`/`password`.",
		Validators:          []validator.String{stringvalidator.ConflictsWith(path.MatchRoot("username"), path.MatchRoot("password"))},
	}
	attrs["username"] = schema.StringAttribute{
		Optional:            true,
		MarkdownDescription: "User name to log in with. Env `GALAXIAS_USERNAME`.",
		Validators:          []validator.String{stringvalidator.AlsoRequires(path.MatchRoot("password"))},
	}
	attrs["password"] = schema.StringAttribute{
		Optional: true, Sensitive: true,
		MarkdownDescription: "Password to log in with. Env `GALAXIAS_PASSWORD`.",
		Validators:          []validator.String{stringvalidator.AlsoRequires(path.MatchRoot("username"))},
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "The `galaxias` provider manages projects, clusters, environments, apps, Helm values and " +
			"deployments on the Galaxias ops platform.",
		Attributes: attrs,
	}
}

func (p *galaxiasProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
}

func (p *galaxiasProvider) Resources(context.Context) []func() resource.Resource { return nil }

func (p *galaxiasProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }
