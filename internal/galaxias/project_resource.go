package galaxias

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/tfx"
)

type projectModel struct {
	ID          types.Int64  `tfsdk:"id"`
	Name        types.String `tfsdk:"name"`
	Description types.String `tfsdk:"description"`
}

func (m *projectModel) toAPI() client.ProjectInput {
	return client.ProjectInput{Name: m.Name.ValueString(), Description: m.Description.ValueString()}
}

func (m *projectModel) fromAPI(p *client.Project) {
	m.ID = types.Int64Value(p.ID)
	m.Name = types.StringValue(p.Name)
	m.Description = types.StringValue(p.Description)
}

// projectNameFixed: a project cannot be replaced safely (deleting it on the
// re-implementation orphans its apps), so a rename it would ignore is an
// error at plan time.
var projectNameFixed = fixedAttr{
	can:  func(t client.Traits) bool { return t.Renames },
	what: "`PUT /v1/projects/{id}` ignores `name`",
	advice: "Set `name` back to the project's current name. A project under another name is a new " +
		"`galaxias_project` (another resource address), with its apps and project environments made anew.",
}

var projectResource = &crud[projectModel]{
	API:  galaxiasAPI,
	Name: "project",
	Schema: schema.Schema{
		MarkdownDescription: "A Galaxias project: a group of apps, bound to environments through " +
			"`galaxias_project_environment`. Import with the project's numeric id.",
		Attributes: map[string]schema.Attribute{
			"id": idAttribute("The project's id."),
			"name": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "Project name, unique on the platform. Renaming updates in place where the server " +
					"can rename projects; the public re-implementation cannot (its `PUT /v1/projects/{id}` ignores " +
					"`name`), and there a new name is an error at plan time.",
				Validators:    []validator.String{nameValidator()},
				PlanModifiers: []planmodifier.String{refuseChangeWhereFixed(projectNameFixed)},
			},
			"description": descriptionAttribute(),
		},
	},
	Import:    importNumericID(func(m *projectModel) *types.Int64 { return &m.ID }),
	Identity:  tfx.Identity{"id"},
	CheckPlan: descriptionLimit(func(m *projectModel) types.String { return m.Description }, descriptionMax),
	Create: func(ctx context.Context, o request, m *projectModel) error {
		p, err := o.Client.CreateProject(ctx, m.toAPI())
		if err != nil {
			return err
		}
		m.fromAPI(p)
		return nil
	},
	Read: func(ctx context.Context, o request, m *projectModel) error {
		p, err := o.Client.GetProject(ctx, m.ID.ValueInt64())
		if err != nil {
			return err
		}
		m.fromAPI(p)
		return nil
	},
	Update: func(ctx context.Context, o request, m, prior *projectModel) error {
		p, err := o.Client.UpdateProject(ctx, prior.ID.ValueInt64(), m.toAPI())
		if err != nil {
			return err
		}
		if err := checkKept("name", m.Name.ValueString(), p.Name, projectNameFixed.advice); err != nil {
			return err
		}
		m.fromAPI(p)
		return nil
	},
	Delete: func(ctx context.Context, o request, m *projectModel) error {
		return o.Client.DeleteProject(ctx, m.ID.ValueInt64())
	},
}
