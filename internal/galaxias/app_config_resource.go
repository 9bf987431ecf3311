package galaxias

import (
	"context"
	"fmt"
	"net/http"

	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/tfx"
)

type appConfigModel struct {
	ID                   types.String `tfsdk:"id"`
	AppID                types.Int64  `tfsdk:"app_id"`
	ProjectEnvironmentID types.Int64  `tfsdk:"project_environment_id"`
	Values               types.String `tfsdk:"values"`
	Revision             types.String `tfsdk:"revision"`
}

func (m *appConfigModel) fromAPI(c *client.AppConfig) {
	m.ID = types.StringValue(fmt.Sprintf("%d/%d", c.AppID, c.ProjectEnvID))
	m.AppID = types.Int64Value(c.AppID)
	m.ProjectEnvironmentID = types.Int64Value(c.ProjectEnvID)
	// Keep the configured text when Galaxias holds the same data written
	// differently: formatting is not drift.
	if m.Values.IsNull() || m.Values.IsUnknown() || !sameYAML(m.Values.ValueString(), c.Config) {
		m.Values = types.StringValue(c.Config)
	}
	m.Revision = types.StringValue(ValuesRevision(m.Values.ValueString()))
}

func (m *appConfigModel) put(ctx context.Context, o request) error {
	cfg, err := o.Client.PutAppConfig(ctx, m.AppID.ValueInt64(), m.ProjectEnvironmentID.ValueInt64(), m.Values.ValueString())
	if err != nil {
		return err
	}
	m.fromAPI(cfg)
	return nil
}

// removedConfig reports a config that reads as absent. The provider's own
// mark (what its destroy writes where it cannot delete, see Delete) is
// absent everywhere, also for an import. Other values that hold nothing
// ("{}") are absent only for a state that holds values: an import takes
// them as they are, and so does a configuration of no values.
func removedConfig(m *appConfigModel, values string) bool {
	if client.IsRemovedConfig(values) {
		return m.Values.IsNull() || !sameYAML(m.Values.ValueString(), values)
	}
	return client.IsEmptiedConfig(values) && !m.Values.IsNull() && !sameYAML(m.Values.ValueString(), values)
}

var appConfigResource = &crud[appConfigModel]{
	API:  galaxiasAPI,
	Name: "app_config",
	Schema: schema.Schema{
		MarkdownDescription: "An app's Helm values for one project-environment: what Galaxias renders the " +
			"app's chart with when it deploys there. The YAML is compared by its data, so key order, quoting, " +
			"comments and whitespace are not a diff; invalid YAML is an error at plan time. Galaxias renders every " +
			"deployment with the values it holds at that moment, so a change reaches the release at its next " +
			"deployment: set a `galaxias_deployment`'s `config_revision` to this resource's `revision` to roll " +
			"the release out whenever the values change. Import with `<app_id>/<project_environment_id>`; " +
			"a config that holds no values (`{}`) imports as it is, one that this provider's destroy emptied (see below) " +
			"does not exist for an import.\n\n" +
			"**Destroy never touches another app's or environment's config, on any server.** Where the server has " +
			"shown that it deletes exactly one config (it implements this project's API contract), destroy deletes " +
			"it. Everywhere else it writes an empty map of values instead and warns: the public re-implementation's " +
			"only delete route (`DELETE /v1/apps/{id}/config`) deletes the configs of every app, and what the " +
			"original platform's does is not known. An emptied config reads as absent (a new `galaxias_app_config` " +
			"for the same app and environment creates it again), deployments from then on get no values, and the " +
			"row stays on the server: the re-implementation then refuses to delete the project environment (412), " +
			"so a `terraform destroy` stops there and says what stays.",
		Attributes: map[string]schema.Attribute{
			"id":                     computedString("`<app_id>/<project_environment_id>`."),
			"app_id":                 refAttribute("Id of the `galaxias_app`."),
			"project_environment_id": refAttribute("Id of the `galaxias_project_environment`."),
			"values": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "Helm values as YAML text (a map at the top level), e.g. from `yamlencode()` " +
					"or `file(\"values.yaml\")`.",
				Validators:    []validator.String{yamlValidator{values: true}},
				PlanModifiers: []planmodifier.String{keepEquivalentYAML()},
			},
			"revision": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "Revision of the values: a SHA-256 of their data, so it changes exactly when the " +
					"values change (not when key order, quoting, comments or whitespace do), and is known at plan time " +
					"when the values are. Wire it to a `galaxias_deployment`'s `config_revision` to roll the release " +
					"out on every change of the values.",
				PlanModifiers: []planmodifier.String{planValuesRevision()},
			},
		},
	},
	Identity: tfx.Identity{"app_id", "project_environment_id"},
	Import: func(_ context.Context, _ request, id string, m *appConfigModel) error {
		app, pe, err := parseIDPair(id, "app_id", "project_environment_id")
		m.AppID, m.ProjectEnvironmentID = types.Int64Value(app), types.Int64Value(pe)
		return err
	},
	Create: func(ctx context.Context, o request, m *appConfigModel) error { return m.put(ctx, o) },
	Read: func(ctx context.Context, o request, m *appConfigModel) error {
		cfg, err := o.Client.GetAppConfig(ctx, m.AppID.ValueInt64(), m.ProjectEnvironmentID.ValueInt64())
		if err != nil {
			return err
		}
		if removedConfig(m, cfg.Config) {
			return &client.APIError{StatusCode: http.StatusNotFound, Method: "GET", Path: "/v1/apps/{id}/config",
				Message: "the app config holds no values (removed)"}
		}
		m.fromAPI(cfg)
		return nil
	},
	Update: func(ctx context.Context, o request, m, _ *appConfigModel) error { return m.put(ctx, o) },
	Delete: func(ctx context.Context, o request, m *appConfigModel) error {
		how, err := o.Client.RemoveAppConfig(ctx, m.AppID.ValueInt64(), m.ProjectEnvironmentID.ValueInt64())
		if err == nil && how == client.ConfigEmptied {
			o.Diags.AddWarning("App config emptied, not deleted",
				fmt.Sprintf("The values of app %d for project environment %d were replaced by an empty map: this "+
					"Galaxias server's only delete route (DELETE /v1/apps/{id}/config) would delete the configs of "+
					"every app, so the provider does not use it. Deployments from now on get no values; the empty "+
					"config stays on the server, and the server refuses to delete the project environment while it "+
					"is there.", m.AppID.ValueInt64(), m.ProjectEnvironmentID.ValueInt64()))
		}
		return err
	},
}
