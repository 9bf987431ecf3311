package galaxias

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/tfx"
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

func (m *projectEnvironmentModel) toAPI() client.ProjectEnvInput {
	in := client.ProjectEnvInput{Description: m.Description.ValueString()}
	if !m.Name.IsUnknown() {
		in.Name = m.Name.ValueString()
	}
	return in
}

// projectEnvNameFixed: where the server changes only the description
// (the re-implementation), a new name would replace the binding, which
// that server cannot delete once an app config named it: a plan-time error
// there (replaceProjectEnvironment).
var projectEnvNameFixed = replaceProjectEnvironment(
	func(t client.Traits) bool { return !t.ProjectEnvDescriptionOnly },
	"That server cannot rename a project environment in place (`PUT /v1/projects/{id}/project-envs/{pe_id}` "+
		"changes only `description`), so a new name replaces it. ")

// projectEnvNameAdvice is what to do when an update's answer kept the name.
const projectEnvNameAdvice = "Set `name` back to the project environment's current name: this server cannot rename it."

var projectEnvironmentResource = &crud[projectEnvironmentModel]{
	API:  galaxiasAPI,
	Name: "project_environment",
	Schema: schema.Schema{
		MarkdownDescription: "Binds a project to an environment. Its `id` is the `project_env_id` that app " +
			"configs and deployments use.\n\n" +
			"Import with `<project_id>/<id>`. A bare `<id>` works too: Galaxias servers with " +
			"`GET /v1/project-envs/{id}` answer it directly, elsewhere (the public re-implementation) the provider " +
			"looks through the project environments of every project.\n\n" +
			"On the public re-implementation destroying a binding is refused while app configs still use it, also " +
			"configs that `galaxias_app_config` emptied on destroy there (see that resource), and the API cannot show " +
			"whether any app config ever named a binding. So a binding cannot be replaced there: a new `project_id`, " +
			"`environment_id` or `name` (which that server cannot change in place) is an error at plan time that says " +
			"what to do instead.",
		Attributes: map[string]schema.Attribute{
			"id":             idAttribute("The binding's id: the `project_env_id` of the Galaxias API."),
			"project_id":     peRefAttribute("Id of the `galaxias_project`."),
			"environment_id": peRefAttribute("Id of the `galaxias_environment`."),
			"name": schema.StringAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "Label shown in the platform, always sent on create. Default: " +
					"`<cluster name>-<namespace>`, as the platform's UI labels them. Updates in place where the " +
					"server can rename bindings; on the public re-implementation, whose `PUT` changes only the " +
					"description, a new name would replace the binding, which is an error at plan time there.",
				Validators:    []validator.String{stringvalidator.LengthBetween(1, 253)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown(), projectEnvNameFixed},
			},
			"description": descriptionAttribute(),
		},
	},
	Import:    importProjectEnvID,
	Identity:  tfx.Identity{"project_id", "id"},
	CheckPlan: descriptionLimit(func(m *projectEnvironmentModel) types.String { return m.Description }, descriptionMax),
	Create: func(ctx context.Context, o request, m *projectEnvironmentModel) error {
		in := m.toAPI()
		in.EnvID = m.EnvironmentID.ValueInt64()
		pe, err := o.Client.CreateProjectEnv(ctx, m.ProjectID.ValueInt64(), in)
		if err != nil {
			return err
		}
		m.fromAPI(pe)
		return nil
	},
	Read: func(ctx context.Context, o request, m *projectEnvironmentModel) error {
		// Imported by the id alone, the project is not known yet (0): the client looks the binding up.
		pe, err := o.Client.ReadProjectEnv(ctx, m.ProjectID.ValueInt64(), m.ID.ValueInt64())
		if err != nil {
			return err
		}
		m.fromAPI(pe)
		return nil
	},
	Update: func(ctx context.Context, o request, m, prior *projectEnvironmentModel) error {
		pe, err := o.Client.UpdateProjectEnv(ctx, prior.ProjectID.ValueInt64(), prior.ID.ValueInt64(), m.toAPI())
		if err != nil {
			return err
		}
		if !m.Name.IsUnknown() {
			if err := checkKept("name", m.Name.ValueString(), pe.Name, projectEnvNameAdvice); err != nil {
				return err
			}
		}
		m.fromAPI(pe)
		return nil
	},
	Delete: func(ctx context.Context, o request, m *projectEnvironmentModel) error {
		err := o.Client.DeleteProjectEnv(ctx, m.ProjectID.ValueInt64(), m.ID.ValueInt64())
		if client.CodeOf(err) == client.CodeRockConfigDependence {
			return fmt.Errorf("%w\n\nThe project environment stays on the server, and so do its project, environment and "+
				"cluster, which Terraform does not destroy while it exists; destroying again fails the same way. To stop "+
				"managing them without destroying them, replace their resource blocks with `removed` blocks (`removed "+
				"{ from = <address> lifecycle { destroy = false } }`) and apply", err)
		}
		return err
	},
}

// importProjectEnvID accepts "<project_id>/<id>" or a bare "<id>".
func importProjectEnvID(_ context.Context, _ request, id string, m *projectEnvironmentModel) error {
	if !strings.Contains(id, "/") {
		n, err := parseID(id, "id")
		if err != nil {
			return fmt.Errorf("%w; import a project environment with <project_id>/<id> or <id>", err)
		}
		m.ID = types.Int64Value(n)
		return nil
	}
	project, pe, err := parseIDPair(id, "project_id", "id")
	m.ProjectID, m.ID = types.Int64Value(project), types.Int64Value(pe)
	return err
}

// peRefAttribute is a required id of another record that a project
// environment binds (replaceProjectEnvironment instead of RequiresReplace).
func peRefAttribute(desc string) schema.Int64Attribute {
	return schema.Int64Attribute{
		Required: true,
		MarkdownDescription: desc + " Changing it replaces the resource; on the public re-implementation, which " +
			"cannot delete a project environment that an app config has named, a change is an error at plan time.",
		Validators:    []validator.Int64{int64validator.AtLeast(1)},
		PlanModifiers: []planmodifier.Int64{replaceProjectEnvironment(nil, "")},
	}
}
