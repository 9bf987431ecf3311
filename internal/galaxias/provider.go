// Package galaxias is the galaxias provider family: its configuration and the
// galaxias_* resources and data sources, on the client in ./client.
package galaxias

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/httpx"
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
		Optional: true,
		MarkdownDescription: "User name to log in with. Env `GALAXIAS_USERNAME`. The password may come from " +
			"`GALAXIAS_PASSWORD`, keeping it out of the configuration. **Each login replaces the user's token**: " +
			"it logs out every other session of that user (another Terraform run, a person in the web console). " +
			"For CI, and for runs that may overlap, configure a `token` instead, or give each pipeline its own user.",
	}
	attrs["password"] = schema.StringAttribute{
		Optional: true, Sensitive: true,
		MarkdownDescription: "Password to log in with. Env `GALAXIAS_PASSWORD`. See `username` for what a login " +
			"does to the user's other sessions.",
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
	if resp.Diagnostics.HasError() {
		return
	}
	if cfg.Endpoint.IsUnknown() || cfg.Token.IsUnknown() || cfg.Username.IsUnknown() || cfg.Password.IsUnknown() {
		return // known only after apply; resources are configured in a later walk
	}
	endpoint := tfx.StringEnv(cfg.Endpoint, "GALAXIAS_ENDPOINT").ValueString()
	token := tfx.StringEnv(cfg.Token, "GALAXIAS_TOKEN").ValueString()
	username := tfx.StringEnv(cfg.Username, "GALAXIAS_USERNAME").ValueString()
	password := tfx.StringEnv(cfg.Password, "GALAXIAS_PASSWORD").ValueString()
	if !cfg.Username.IsNull() || !cfg.Password.IsNull() {
		token = "" // explicit username/password in the configuration win over GALAXIAS_TOKEN
	} else if token != "" {
		username, password = "", ""
	}
	if endpoint == "" {
		resp.Diagnostics.AddAttributeError(path.Root("endpoint"), "Missing Galaxias endpoint",
			"Set endpoint in the provider block or the GALAXIAS_ENDPOINT environment variable.")
	}
	if token == "" && (username == "" || password == "") {
		resp.Diagnostics.AddAttributeError(path.Root("token"), "Missing Galaxias credentials",
			"Set token (GALAXIAS_TOKEN), or username and password (GALAXIAS_USERNAME, GALAXIAS_PASSWORD).")
	}
	opts := cfg.HTTPSettings.WithEnv("GALAXIAS").Options("galaxias", p.version, []string{token, password}, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	// A 500 that carries the application's error code is its verdict on
	// the request (the re-implementation answers every validation failure
	// so): fail at once instead of retrying it.
	opts.Permanent = client.PermanentAnswer
	hc, err := httpx.New(opts)
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("ca_cert"), "Invalid TLS settings", err.Error())
		return
	}
	c, err := client.New(client.Options{BaseURL: endpoint, Token: token, Username: username, Password: password, HTTPClient: hc})
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("endpoint"), "Invalid Galaxias settings", err.Error())
		return
	}
	if err := c.CheckAuth(ctx); err != nil {
		resp.Diagnostics.AddError("Cannot use the Galaxias API", explainConnect(endpoint, token != "", err))
		return
	}
	if fl, source := c.DetectedDialect(); fl != client.DialectAuto {
		tflog.Info(ctx, "Galaxias API dialect detected", map[string]any{"endpoint": endpoint, "dialect": string(fl), "from": source})
	}
	resp.ResourceData = c
	resp.ListResourceData = c
	resp.DataSourceData = c
}

func explainConnect(endpoint string, withToken bool, err error) string {
	if msg, ok := tfx.ExplainUnreachable("Galaxias", endpoint, "Check endpoint or GALAXIAS_ENDPOINT.", err); ok {
		return msg
	}
	switch {
	case client.IsNotGalaxias(err):
		return fmt.Sprintf("The endpoint %s does not look like a Galaxias API: %v. Check endpoint or GALAXIAS_ENDPOINT.", endpoint, err)
	case client.IsLoggedOutByOtherSessions(err):
		return fmt.Sprintf("Galaxias at %s kept logging this run out: %v.", endpoint, err)
	case client.IsTokenReplaced(err):
		return fmt.Sprintf("Galaxias at %s refused the token: it was replaced by a newer login of the same user "+
			"(a login rotates the token). Use the new token, or give username and password instead. (%v)", endpoint, err)
	case client.IsUnauthorized(err) && withToken:
		return fmt.Sprintf("Galaxias at %s refused the token (401). Check token or GALAXIAS_TOKEN. (%v)", endpoint, err)
	case client.IsUnauthorized(err):
		return fmt.Sprintf("Galaxias at %s refused the login: wrong username or password. (%v)", endpoint, err)
	default:
		return fmt.Sprintf("Checking the credentials at %s failed: %v", endpoint, err)
	}
}

func (p *galaxiasProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		projectResource.New,
		clusterResource.New,
		environmentResource.New,
		projectEnvironmentResource.New,
		appResource.New,
		appConfigResource.New,
		userResource.New,
		deploymentResource.New,
	}
}

func (p *galaxiasProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		projectLookup.New,
		appLookup.New,
		environmentLookup.New,
		projectEnvironmentLookup.New,
		chartVersionsLookup.New,
		appsLookup.New,
		projectEnvironmentsLookup.New,
		releasesLookup.New,
	}
}
