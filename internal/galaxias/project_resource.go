package galaxias

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
)

type projectModel struct {
	ID          types.Int64  `tfsdk:"id"`
	Name        types.String `tfsdk:"name"`
	Description types.String `tfsdk:"description"`
}

func (m *projectModel) input() client.ProjectInput {
	return client.ProjectInput{Name: m.Name.ValueString(), Description: m.Description.ValueString()}
}

func (m *projectModel) fromAPI(p *client.Project) {
	m.ID = types.Int64Value(p.ID)
	m.Name = types.StringValue(p.Name)
	m.Description = types.StringValue(p.Description)
}

var projectSpec = &spec[projectModel]{
	name: "project",
	schema: schema.Schema{
		MarkdownDescription: "A Galaxias project: a group of apps, bound to environments through " +
			"`galaxias_project_environment`. Import with the project's numeric id.",
		Attributes: map[string]schema.Attribute{
			"id": idAttribute("The project's id."),
			"name": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Project name, unique on the platform. Renaming updates in place.",
				Validators:          []validator.String{nameValidator()},
			},
			"description": descriptionAttribute(),
		},
	},
	create: func(ctx context.Context, o op, m *projectModel) error {
		return apply(o.c.CreateProject(ctx, m.input()))(m.fromAPI)
	},
	read: func(ctx context.Context, o op, m *projectModel) error {
		return apply(o.c.GetProject(ctx, m.ID.ValueInt64()))(m.fromAPI)
	},
	update: func(ctx context.Context, o op, m, prior *projectModel) error {
		return apply(o.c.UpdateProject(ctx, prior.ID.ValueInt64(), m.input()))(m.fromAPI)
	},
	delete: func(ctx context.Context, o op, m *projectModel) error {
		return o.c.DeleteProject(ctx, m.ID.ValueInt64())
	},
}
