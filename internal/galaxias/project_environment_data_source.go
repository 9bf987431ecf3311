package galaxias

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
)

// galaxias_project_environment by project and name; its state has the
// attributes of the resource.
var projectEnvironmentLookup = &lookup[projectEnvironmentModel]{
	API:  galaxiasAPI,
	Name: "project_environment",
	Schema: schema.Schema{
		MarkdownDescription: "An existing binding of a project to an environment, found by the project and the " +
			"binding's name (by default `<cluster>-<namespace>`). Its `id` is the `project_env_id` that app " +
			"configs and deployments use. Fails when no binding, or more than one, of the project has the name.",
		Attributes: map[string]schema.Attribute{
			"project_id":     dsRef("Id of the project."),
			"name":           dsKey("The binding's name, as the platform shows it.", anyName()),
			"id":             dsID("The binding's id: the `project_env_id` of the Galaxias API."),
			"environment_id": dsID("Id of the bound `galaxias_environment`."),
			"description":    dsDescription(),
		},
	},
	Read: func(ctx context.Context, o request, m *projectEnvironmentModel) error {
		c := o.Client
		// The client's list has no fq: the project's bindings are few.
		project, name := m.ProjectID.ValueInt64(), m.Name.ValueString()
		pes, err := c.ListProjectEnvs(ctx, project)
		if err != nil {
			return err
		}
		pe, err := onlyMatch(pes, fmt.Sprintf("project environment named %q in project %d", name, project),
			func(pe *client.ProjectEnv) bool { return pe.Name == name })
		if err != nil {
			return err
		}
		m.fromAPI(pe)
		return nil
	},
}
