package galaxias

import (
	"context"
	"fmt"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
)

// The plural data sources list what a project holds, e.g. to drive
// `import { for_each = ... }` on Terraform versions without `terraform query`.

type appsModel struct {
	ProjectID int64         `tfsdk:"project_id"`
	Apps      []appsItemRow `tfsdk:"apps"`
}

type appsItemRow struct {
	ID          int64  `tfsdk:"id"`
	Name        string `tfsdk:"name"`
	Description string `tfsdk:"description"`
	FullName    string `tfsdk:"full_name"`
}

// galaxias_apps: every app of a project, all pages.
var appsLookup = &lookup[appsModel]{
	API:  galaxiasAPI,
	Name: "apps",
	Schema: schema.Schema{
		MarkdownDescription: "Every app of a Galaxias project (all pages of the list), ordered by id. Use it to " +
			"import existing apps in bulk with `import { for_each = ... }` (an app's import id is its `id`). " +
			"Fails when the project does not exist.",
		Attributes: map[string]schema.Attribute{
			"project_id": dsRef("Id of the project."),
			"apps": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The project's apps; empty when it has none.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":          dsID("The app's id, also its import id."),
					"name":        dsString("App name (also the name of its Helm chart)."),
					"description": dsDescription(),
					"full_name":   dsString("Git path `group/repo`, as Galaxias records it (empty when none)."),
				}},
			},
		},
	},
	Read: func(ctx context.Context, o request, m *appsModel) error {
		c := o.Client
		// An unknown project answers an empty list on some servers.
		if _, err := c.GetProject(ctx, m.ProjectID); err != nil {
			return err
		}
		apps, err := c.ListProjectApps(ctx, m.ProjectID)
		if err != nil {
			return err
		}
		sort.Slice(apps, func(i, j int) bool { return apps[i].ID < apps[j].ID })
		m.Apps = make([]appsItemRow, len(apps))
		for i, a := range apps {
			m.Apps[i] = appsItemRow{ID: a.ID, Name: a.Name, Description: a.Description, FullName: a.FullName}
		}
		return nil
	},
}

type projectEnvsModel struct {
	ProjectID   int64               `tfsdk:"project_id"`
	ProjectEnvs []projectEnvItemRow `tfsdk:"project_environments"`
}

type projectEnvItemRow struct {
	ID            int64  `tfsdk:"id"`
	Name          string `tfsdk:"name"`
	EnvironmentID int64  `tfsdk:"environment_id"`
	Description   string `tfsdk:"description"`
	ImportID      string `tfsdk:"import_id"`
}

// galaxias_project_environments: every binding of a project, all pages.
var projectEnvironmentsLookup = &lookup[projectEnvsModel]{
	API:  galaxiasAPI,
	Name: "project_environments",
	Schema: schema.Schema{
		MarkdownDescription: "Every binding of a Galaxias project to an environment (all pages of the list), " +
			"ordered by id. Use it to import existing bindings in bulk with `import { for_each = ... }` " +
			"(`import_id`). Fails when the project does not exist.",
		Attributes: map[string]schema.Attribute{
			"project_id": dsRef("Id of the project."),
			"project_environments": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The project's bindings; empty when it has none.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":             dsID("The binding's id: the `project_env_id` of the Galaxias API."),
					"name":           dsString("The binding's name, as the platform shows it."),
					"environment_id": dsID("Id of the bound `galaxias_environment`."),
					"description":    dsDescription(),
					"import_id":      dsString("The id `galaxias_project_environment` imports: `<project_id>/<id>`."),
				}},
			},
		},
	},
	Read: func(ctx context.Context, o request, m *projectEnvsModel) error {
		c := o.Client
		if _, err := c.GetProject(ctx, m.ProjectID); err != nil {
			return err
		}
		pes, err := c.ListProjectEnvs(ctx, m.ProjectID)
		if err != nil {
			return err
		}
		sort.Slice(pes, func(i, j int) bool { return pes[i].ID < pes[j].ID })
		m.ProjectEnvs = make([]projectEnvItemRow, len(pes))
		for i, pe := range pes {
			m.ProjectEnvs[i] = projectEnvItemRow{ID: pe.ID, Name: pe.Name, EnvironmentID: pe.EnvID,
				Description: pe.Description, ImportID: fmt.Sprintf("%d/%d", m.ProjectID, pe.ID)}
		}
		return nil
	},
}
