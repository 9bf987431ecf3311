package galaxias

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/tfx"
)

type appModel struct {
	ID           types.Int64  `tfsdk:"id"`
	ProjectID    types.Int64  `tfsdk:"project_id"`
	Name         types.String `tfsdk:"name"`
	Description  types.String `tfsdk:"description"`
	GitProjectID types.Int64  `tfsdk:"git_project_id"`
	FullName     types.String `tfsdk:"full_name"`
	Owner        types.String `tfsdk:"owner"`
	GitAddress   types.String `tfsdk:"git_address"`
	DroneRepoID  types.Int64  `tfsdk:"drone_repo_id"`
}

// fromAPI copies an app record into the model. Where the server does not
// answer every field (the re-implementation's app answers have no
// gitlab_project_id), the value in m (configured, or from state) is kept.
func (m *appModel) fromAPI(c *client.Client, a *client.App) {
	git := m.GitProjectID
	m.ID = types.Int64Value(a.ID)
	m.ProjectID = types.Int64Value(a.ProjectID)
	m.Name = types.StringValue(a.Name)
	m.Description = types.StringValue(a.Description)
	if a.GitlabProjectID != 0 || !m.GitProjectID.IsNull() {
		m.GitProjectID = types.Int64Value(a.GitlabProjectID)
	}
	m.FullName = types.StringValue(a.FullName)
	m.Owner = types.StringValue(a.Owner)
	m.GitAddress = types.StringValue(a.GitlabAddress)
	m.DroneRepoID = types.Int64Value(a.DroneRepoID)
	if t, ok := serverTraits(c); ok && !t.AppFieldsUpdatable && a.GitlabProjectID == 0 {
		m.GitProjectID = git
	}
}

func (m *appModel) toAPI() client.AppInput {
	return client.AppInput{
		ProjectID: m.ProjectID.ValueInt64(), Name: m.Name.ValueString(),
		Description: m.Description.ValueString(), GitlabProjectID: m.GitProjectID.ValueInt64(),
	}
}

// appFieldsFixed: where PUT changes only the description, a new
// git_project_id is an error at plan time. Replacing the app would not be
// safe there: the re-implementation deletes an app without its configs and
// instances.
var appFieldsFixed = fixedAttr{
	can:  func(t client.Traits) bool { return t.AppFieldsUpdatable },
	what: "`PUT /v1/apps/{id}` changes only `description`",
	advice: "Set `git_project_id` back to the app's current value. The value is taken on create only, so an app " +
		"with another git project id is a new `galaxias_app` (another resource address).",
}

var appResource = &crud[appModel]{
	API:  galaxiasAPI,
	Name: "app",
	Schema: schema.Schema{
		MarkdownDescription: "A Galaxias app: one deployable service of a project. Its Helm chart has the app's " +
			"name. Import with the numeric id.",
		Attributes: map[string]schema.Attribute{
			"id":         idAttribute("The app's id (the `GALAXIAS_APP_ID` of pipelines)."),
			"project_id": refAttribute("Id of the `galaxias_project`."),
			"name": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "App name, unique in the project, and the name of its Helm chart. Changing it replaces the app.",
				Validators:          []validator.String{nameValidator()},
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"description": descriptionAttribute(),
			"git_project_id": schema.Int64Attribute{
				Optional: true,
				MarkdownDescription: "Id of the app's project in the git server (Galaxias `gitlab_project_id`). Set on " +
					"create; updates in place where the server can change it. The public re-implementation cannot " +
					"(its `PUT /v1/apps/{id}` changes only `description`): there a change is an error at plan time.",
				Validators:    []validator.Int64{int64validator.AtLeast(1)},
				PlanModifiers: []planmodifier.Int64{refuseChangeWhereFixed(appFieldsFixed)},
			},
			"full_name":   computedString("Git path `group/repo`, as Galaxias records it."),
			"owner":       computedString("The user who created the app."),
			"git_address": computedString("Git address recorded by Galaxias (`gitlab_address`)."),
			"drone_repo_id": schema.Int64Attribute{
				Computed: true, MarkdownDescription: "Id of the app's Drone repository, as Galaxias records it.",
				PlanModifiers: []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
			},
		},
	},
	Import:    importNumericID(func(m *appModel) *types.Int64 { return &m.ID }),
	Identity:  tfx.Identity{"id"},
	CheckPlan: descriptionLimit(func(m *appModel) types.String { return m.Description }, descriptionMax),
	Create: func(ctx context.Context, o request, m *appModel) error {
		a, err := o.Client.CreateApp(ctx, m.toAPI())
		if err != nil {
			return err
		}
		m.fromAPI(o.Client, a)
		return nil
	},
	Read: func(ctx context.Context, o request, m *appModel) error {
		// Imported by id, the project is not known yet (0): the client reads the app by its id.
		a, err := o.Client.ReadApp(ctx, m.ProjectID.ValueInt64(), m.ID.ValueInt64())
		if err != nil {
			return err
		}
		m.fromAPI(o.Client, a)
		return nil
	},
	Update: func(ctx context.Context, o request, m, prior *appModel) error {
		// The API replaces the record: send back what Galaxias computed.
		a, err := o.Client.UpdateApp(ctx, prior.ID.ValueInt64(), client.AppInput{
			Description: m.Description.ValueString(), GitlabProjectID: m.GitProjectID.ValueInt64(),
			FullName: prior.FullName.ValueString(), Owner: prior.Owner.ValueString(),
			GitlabAddress: prior.GitAddress.ValueString(), DroneRepoID: prior.DroneRepoID.ValueInt64(),
		})
		if err != nil {
			return err
		}
		if err := checkKept("description", m.Description.ValueString(), a.Description, ""); err != nil {
			return err
		}
		if t, ok := serverTraits(o.Client); !ok || t.AppFieldsUpdatable {
			if err := checkKept("git_project_id", fmt.Sprint(m.GitProjectID.ValueInt64()), fmt.Sprint(a.GitlabProjectID),
				appFieldsFixed.advice); err != nil {
				return err
			}
		}
		m.fromAPI(o.Client, a)
		return nil
	},
	Delete: func(ctx context.Context, o request, m *appModel) error {
		return deleteApp(ctx, o.Client, m.ID.ValueInt64())
	},
}
