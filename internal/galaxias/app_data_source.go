package galaxias

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
)

// galaxias_app by project and name; its state has the attributes of the resource.
var appLookup = &lookup[appModel]{
	API:  galaxiasAPI,
	Name: "app",
	Schema: schema.Schema{
		MarkdownDescription: "An existing Galaxias app, found by its project and name. Fails when the project " +
			"has no app of that name.",
		Attributes: map[string]schema.Attribute{
			"project_id":  dsRef("Id of the app's project."),
			"name":        dsKey("App name (also the name of its Helm chart).", anyName()),
			"id":          dsID("The app's id (the `GALAXIAS_APP_ID` of pipelines)."),
			"description": dsDescription(),
			"git_project_id": schema.Int64Attribute{
				Computed:            true,
				MarkdownDescription: "Id of the app's project in the git server (Galaxias `gitlab_project_id`); null when Galaxias has none (0).",
			},
			"full_name":     dsString("Git path `group/repo`, as Galaxias records it."),
			"owner":         dsString("The user who created the app."),
			"git_address":   dsString("Git address recorded by Galaxias (`gitlab_address`)."),
			"drone_repo_id": dsID("Id of the app's Drone repository, as Galaxias records it (0 when none)."),
		},
	},
	Read: func(ctx context.Context, o request, m *appModel) error {
		c := o.Client
		project, name := m.ProjectID.ValueInt64(), m.Name.ValueString()
		// The project's app list answers on every server (the
		// re-implementation's GET /v1/apps needs the project anyway).
		apps, err := c.ListProjectApps(ctx, project)
		if err != nil {
			return err
		}
		a, err := onlyMatch(apps, fmt.Sprintf("app named %q in project %d", name, project),
			func(a *client.App) bool { return a.ProjectID == project && a.Name == name })
		if err != nil {
			return err
		}
		m.fromAPI(c, a)
		return nil
	},
}
