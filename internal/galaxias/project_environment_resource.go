package galaxias

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
)

type projectEnvironmentModel struct {
	ID            types.Int64  `tfsdk:"id"`
	ProjectID     types.Int64  `tfsdk:"project_id"`
	EnvironmentID types.Int64  `tfsdk:"environment_id"`
	Name          types.String `tfsdk:"name"`
	Description   types.String `tfsdk:"description"`
}

func (m *projectEnvironmentModel) fromAPI(pe *client.ProjectEnv) {
	m.ID = types.Int64Value(pe.ID)
	m.ProjectID = types.Int64Value(pe.ProjectID)
	m.EnvironmentID = types.Int64Value(pe.EnvID)
	m.Name = types.StringValue(pe.Name)
	m.Description = types.StringValue(pe.Description)
}

func (m *projectEnvironmentModel) input() client.ProjectEnvInput {
	in := client.ProjectEnvInput{Description: m.Description.ValueString()}
	if !m.Name.IsUnknown() {
		in.Name = m.Name.ValueString()
	}
	return in
}

var projectEnvironmentSpec = &spec[projectEnvironmentModel]{
	name: "project_environment",
	schema: schema.Schema{
		MarkdownDescription: "Binds a project to an environment. Its `id` is the `project_env_id` that app " +
			"configs and deployments use. A project is bound to an environment at most once. Import with the " +
			"numeric id.",
		Attributes: map[string]schema.Attribute{
			"id":             idAttribute("The binding's id: the `project_env_id` of the Galaxias API."),
			"project_id":     refAttribute("Id of the `galaxias_project`."),
			"environment_id": refAttribute("Id of the `galaxias_environment`."),
			"name": schema.StringAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "Label shown in the platform. Default (from Galaxias): `<cluster>-<namespace>`. " +
					"Updates in place.",
				Validators:    []validator.String{stringvalidator.LengthBetween(1, 253)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"description": descriptionAttribute(),
		},
	},
	create: func(ctx context.Context, o op, m *projectEnvironmentModel) error {
		in := m.input()
		in.EnvID = m.EnvironmentID.ValueInt64()
		pid := m.ProjectID.ValueInt64()
		return apply(o.c.CreateProjectEnv(ctx, pid, in))(m.fromAPI)
	},
	read: func(ctx context.Context, o op, m *projectEnvironmentModel) error {
		// By id alone, so that import needs nothing else.
		return apply(o.c.LookupProjectEnv(ctx, m.ID.ValueInt64()))(m.fromAPI)
	},
	update: func(ctx context.Context, o op, m, prior *projectEnvironmentModel) error {
		return apply(o.c.UpdateProjectEnv(ctx, prior.ProjectID.ValueInt64(), prior.ID.ValueInt64(), m.input()))(m.fromAPI)
	},
	delete: func(ctx context.Context, o op, m *projectEnvironmentModel) error {
		return o.c.DeleteProjectEnv(ctx, m.ProjectID.ValueInt64(), m.ID.ValueInt64())
	},
}
