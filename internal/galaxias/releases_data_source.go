package galaxias

import (
	"context"
	"fmt"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
)

type releasesModel struct {
	ProjectEnvID  int64            `tfsdk:"project_environment_id"`
	ProjectID     types.Int64      `tfsdk:"project_id"`
	EnvironmentID types.Int64      `tfsdk:"environment_id"`
	Releases      []releaseItemRow `tfsdk:"releases"`
}

type releaseItemRow struct {
	ID           int64  `tfsdk:"id"`
	Name         string `tfsdk:"name"`
	AppID        int64  `tfsdk:"app_id"`
	ChartName    string `tfsdk:"chart_name"`
	ChartVersion string `tfsdk:"chart_version"`
	DeploymentID int64  `tfsdk:"deployment_id"`
	ImportID     string `tfsdk:"import_id"`
}

// galaxias_releases: the releases of the project's apps that run in the
// environment of a project-environment.
var releasesLookup = &lookup[releasesModel]{
	API:  galaxiasAPI,
	Name: "releases",
	Schema: schema.Schema{
		MarkdownDescription: "The Helm releases of a project's apps that run in the environment of a project " +
			"environment (all pages of the list), ordered by app id then release name. Use it to import running " +
			"releases in bulk as `galaxias_deployment` with `import { for_each = ... }` (`import_id`). Releases " +
			"the server cannot attribute to an app of the project are left out. Fails when the project " +
			"environment does not exist.",
		Attributes: map[string]schema.Attribute{
			"project_environment_id": dsRef("Id of the project environment (`project_env_id`)."),
			"project_id":             dsID("Id of the project environment's project."),
			"environment_id":         dsID("Id of the project environment's `galaxias_environment`."),
			"releases": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The releases that run there; empty when none.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":            dsID("The instance (release) id in Galaxias."),
					"name":          dsString("The Helm release name (`<chart>-<namespace>`)."),
					"app_id":        dsID("Id of the app the release belongs to."),
					"chart_name":    dsString("The chart that runs."),
					"chart_version": dsString("The chart version that runs."),
					"deployment_id": dsID("Id of the release's last deployment (0 when the server does not say)."),
					"import_id": dsString("The id `galaxias_deployment` imports for the release that runs: " +
						"`<app_id>/<project_environment_id>`. When an app runs several releases there (several " +
						"charts), that import takes the one of the app's own chart; import the others by deployment id."),
				}},
			},
		},
	},
	Read: func(ctx context.Context, o request, m *releasesModel) error {
		c := o.Client
		pe, rows, err := releasesIn(ctx, c, m.ProjectEnvID)
		if err != nil {
			return err
		}
		m.ProjectID, m.EnvironmentID = types.Int64Value(pe.ProjectID), types.Int64Value(pe.EnvID)
		m.Releases = rows
		return nil
	},
}

// releasesIn returns the project-environment and the releases of its
// project's apps that run in its environment, ordered by app id then
// release name.
func releasesIn(ctx context.Context, c *client.Client, projectEnvID int64) (*client.ProjectEnv, []releaseItemRow, error) {
	pe, err := c.LookupProjectEnv(ctx, projectEnvID)
	if err != nil {
		return nil, nil, err
	}
	apps, err := c.ListProjectApps(ctx, pe.ProjectID)
	if err != nil {
		return nil, nil, fmt.Errorf("list the apps of project %d: %w", pe.ProjectID, err)
	}
	byID, byName := map[int64]bool{}, map[string]int64{}
	for _, a := range apps {
		byID[a.ID], byName[a.Name] = true, a.ID
	}
	// Attributed to the env: list items without app_id and env_id (the
	// re-implementation's) are read by id.
	list, err := c.ListInstances(ctx, client.InstanceFilter{EnvID: pe.EnvID})
	if err != nil {
		return nil, nil, fmt.Errorf("list the releases in environment %d: %w", pe.EnvID, err)
	}
	rows := []releaseItemRow{}
	for _, in := range list {
		app := in.AppID
		if app == 0 {
			app = byName[in.ChartName] // a server that names no app: the app's own chart
		}
		if app == 0 || !byID[app] {
			continue
		}
		rows = append(rows, releaseItemRow{ID: in.ID, Name: in.Name, AppID: app,
			ChartName: in.ChartName, ChartVersion: in.ChartVersion, DeploymentID: in.LastDeployment,
			ImportID: fmt.Sprintf("%d/%d", app, projectEnvID)})
	}
	sort.Slice(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		return a.AppID < b.AppID || a.AppID == b.AppID && a.Name < b.Name
	})
	return pe, rows, nil
}
