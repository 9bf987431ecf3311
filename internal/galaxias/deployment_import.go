package galaxias

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
)

// releaseTarget is where an app runs in a project-environment, with the
// names an error about it shows.
type releaseTarget struct {
	app       *client.App
	env       *client.Env
	cluster   string
	project   string
	namespace string
}

// resolveTarget reads the app, the project-environment, its environment and
// cluster, and the project: what an instance of the app there carries.
func resolveTarget(ctx context.Context, c *client.Client, appID, projectEnvID int64) (*releaseTarget, error) {
	app, err := c.GetApp(ctx, appID)
	if err != nil {
		return nil, fmt.Errorf("read app %d: %w", appID, err)
	}
	pe, err := c.GetProjectEnv(ctx, app.ProjectID, projectEnvID)
	if err != nil {
		return nil, fmt.Errorf("read project-environment %d of project %d: %w", projectEnvID, app.ProjectID, err)
	}
	if pe.ProjectID != 0 && pe.ProjectID != app.ProjectID {
		return nil, fmt.Errorf("project-environment %d belongs to project %d, app %d to project %d",
			projectEnvID, pe.ProjectID, appID, app.ProjectID)
	}
	env, err := c.GetEnv(ctx, pe.EnvID)
	if err != nil {
		return nil, fmt.Errorf("read environment %d: %w", pe.EnvID, err)
	}
	cluster, err := c.GetCluster(ctx, env.ClusterID)
	if err != nil {
		return nil, fmt.Errorf("read cluster %d: %w", env.ClusterID, err)
	}
	project, err := c.GetProject(ctx, app.ProjectID)
	if err != nil {
		return nil, fmt.Errorf("read project %d: %w", app.ProjectID, err)
	}
	return &releaseTarget{app: app, env: env, cluster: cluster.Name, project: project.Name, namespace: env.Namespace}, nil
}

// findRelease returns the instance that runs the app in the project-
// environment now: of the releases the client attributes to the app and the
// environment (on what every instance carries where the server does not
// answer app_id and env_id), the one of the app's own chart, else the only
// one.
func findRelease(ctx context.Context, c *client.Client, t *releaseTarget) (*client.Instance, error) {
	list, err := c.ListAppEnvInstances(ctx, t.app.ID, t.env.ID)
	if err != nil {
		return nil, fmt.Errorf("list the instances of app %d: %w", t.app.ID, err)
	}
	for i := range list {
		if list[i].OfChart(t.app.Name) {
			return &list[i], nil
		}
	}
	switch len(list) {
	case 0:
		return nil, fmt.Errorf("nothing runs for app %q in namespace %q of cluster %q (project %q): no release "+
			"%s-%s there. Let Terraform deploy it instead of importing, or import a deployment by its id",
			t.app.Name, t.namespace, t.cluster, t.project, t.app.Name, t.namespace)
	case 1:
		return &list[0], nil
	}
	names := make([]string, len(list))
	for i, in := range list {
		names[i] = in.Name
	}
	return nil, fmt.Errorf("several releases of app %q run in namespace %q: %s; import the deployment of the "+
		"one to manage by its id", t.app.Name, t.namespace, strings.Join(names, ", "))
}

// importDeployment takes a deployment id, or app_id/project_environment_id
// for the release that runs there now (importRelease).
func importDeployment(ctx context.Context, o request, id string, m *deploymentModel) error {
	m.Wait, m.UninstallOnDestroy = types.BoolValue(true), types.BoolValue(true)
	if strings.Contains(id, "/") {
		return importRelease(ctx, o, id, m)
	}
	n, err := parseID(id, "deployment id")
	if err != nil {
		return fmt.Errorf("%w; or import the release that runs now with app_id/project_environment_id", err)
	}
	m.ID = types.Int64Value(n)
	return nil
}

// importRelease imports by app_id/project_environment_id the release that
// runs there now, whatever deployment made it. The state says what runs: its
// chart and version, and its last deployment as id. config_revision is the
// revision of the values Galaxias holds, so that wiring it to the app
// config's revision plans nothing; description is left empty (the
// deployment was not made by this resource).
func importRelease(ctx context.Context, o request, id string, m *deploymentModel) error {
	appID, peID, err := parseIDPair(id, "app_id", "project_environment_id")
	if err != nil {
		return fmt.Errorf("%w; or import a deployment by its numeric id", err)
	}
	t, err := resolveTarget(ctx, o.Client, appID, peID)
	var in *client.Instance
	if err == nil {
		in, err = findRelease(ctx, o.Client, t)
	}
	if err != nil {
		return fmt.Errorf("cannot import the release of app %d in project-environment %d: %w", appID, peID, err)
	}
	rev, err := valuesRevision(ctx, o.Client, t.app.ID, peID)
	if err != nil {
		return fmt.Errorf("cannot import the release %s: read the app's values: %w", in.Name, err)
	}
	deployedAt := in.UpdatedAt
	if d, err := o.Client.GetDeployment(ctx, in.LastDeployment); err == nil {
		deployedAt = d.CreatedAt
	} else if !client.IsNotFound(err) {
		return fmt.Errorf("cannot import the release %s: read its deployment %d: %w", in.Name, in.LastDeployment, err)
	}
	m.ID, m.AppID, m.ProjectEnvironmentID = types.Int64Value(in.LastDeployment), types.Int64Value(t.app.ID), types.Int64Value(peID)
	m.ChartName, m.ChartVersion = types.StringValue(in.ChartName), types.StringValue(in.ChartVersion)
	m.Description = types.StringValue("")
	m.ConfigRevision, m.ValuesRevision = types.StringValue(rev), types.StringValue(rev)
	m.Name, m.EnvID, m.Namespace = types.StringValue(in.Name), types.Int64Value(t.env.ID), types.StringValue(t.namespace)
	m.Status = types.StringValue(client.StatusSuccess)
	m.DeployedAt = types.StringValue(deployedAt.String()) // as fromAPI shows it
	return nil
}

// projectEnvOf finds the project environment of an imported deployment
// whose record does not name it (the re-implementation's): the binding of
// the app's project to the deployment's env. It must be the only one.
func projectEnvOf(ctx context.Context, c *client.Client, m *deploymentModel) (int64, error) {
	app, err := c.GetApp(ctx, m.AppID.ValueInt64())
	if err != nil {
		return 0, err
	}
	pes, err := c.FindProjectEnvs(ctx, app.ProjectID, m.EnvID.ValueInt64())
	if err != nil {
		return 0, err
	}
	switch len(pes) {
	case 1:
		return pes[0].ID, nil
	case 0:
		return 0, fmt.Errorf("deployment %d of app %d went to environment %d, which no project environment of project %d "+
			"binds any more", m.ID.ValueInt64(), app.ID, m.EnvID.ValueInt64(), app.ProjectID)
	default:
		return 0, fmt.Errorf("the record of deployment %d does not name its project environment, and project %d binds "+
			"environment %d %d times: import the release that runs as %d/<project_environment_id> (app_id/project_environment_id)",
			m.ID.ValueInt64(), app.ProjectID, m.EnvID.ValueInt64(), len(pes), app.ID)
	}
}
