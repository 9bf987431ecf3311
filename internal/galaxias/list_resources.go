package galaxias

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/listresourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/tfx"
)

// The list resources (`terraform query`, Terraform ≥ 1.14): each finds the
// objects of one resource type through the API's lists (every page), with
// their identity, a display name and, with include_resource, the object as
// an import by that identity saves it.

type lister[M, L any] = tfx.Lister[*client.Client, M, L]

// noListConfig is the configuration of a list resource without arguments.
type noListConfig struct{}

type projectIDListConfig struct {
	ProjectID types.Int64 `tfsdk:"project_id"`
}

type environmentListConfig struct {
	ClusterID types.Int64 `tfsdk:"cluster_id"`
}

type deploymentListConfig struct {
	ProjectEnvironmentID types.Int64 `tfsdk:"project_environment_id"`
	AppID                types.Int64 `tfsdk:"app_id"`
}

func listSchema(what string, attrs map[string]listschema.Attribute) listschema.Schema {
	return listschema.Schema{MarkdownDescription: what + " Every page of the server's list is read.", Attributes: attrs}
}

func listRef(desc string, required bool) listschema.Int64Attribute {
	return listschema.Int64Attribute{Required: required, Optional: !required, MarkdownDescription: desc}
}

// listAll lists the records of one call into models.
func listAll[R, M any](records []R, err error, fromAPI func(*M, *R)) ([]M, error) {
	if err != nil {
		return nil, err
	}
	out := make([]M, len(records))
	for i := range records {
		fromAPI(&out[i], &records[i])
	}
	return out, nil
}

var projectList = &lister[projectModel, noListConfig]{
	Resource: projectResource,
	Schema:   listSchema("Lists every Galaxias project.", nil),
	List: func(ctx context.Context, o request, _ *noListConfig) ([]projectModel, error) {
		ps, err := o.Client.ListProjects(ctx, "")
		return listAll(ps, err, (*projectModel).fromAPI)
	},
	DisplayName: func(m *projectModel) string { return m.Name.ValueString() },
}

var clusterList = &lister[clusterModel, noListConfig]{
	Resource: clusterResource,
	Schema:   listSchema("Lists every Galaxias cluster.", nil),
	List: func(ctx context.Context, o request, _ *noListConfig) ([]clusterModel, error) {
		cs, err := o.Client.ListClusters(ctx, "")
		return listAll(cs, err, (*clusterModel).fromAPI)
	},
	DisplayName: func(m *clusterModel) string { return m.Name.ValueString() },
}

var userList = &lister[userModel, noListConfig]{
	Resource: userResource,
	Schema:   listSchema("Lists every Galaxias user.", nil),
	List: func(ctx context.Context, o request, _ *noListConfig) ([]userModel, error) {
		us, err := o.Client.ListUsers(ctx, "")
		return listAll(us, err, (*userModel).fromAPI)
	},
	DisplayName: func(m *userModel) string { return m.Name.ValueString() },
}

var environmentList = &lister[environmentModel, environmentListConfig]{
	Resource: environmentResource,
	Schema: listSchema("Lists the Galaxias environments (namespaces), of one cluster or of all.", map[string]listschema.Attribute{
		"cluster_id": listRef("Id of the `galaxias_cluster` whose environments to list; all clusters' when unset.", false),
	}),
	List: func(ctx context.Context, o request, cfg *environmentListConfig) ([]environmentModel, error) {
		if id := cfg.ClusterID.ValueInt64(); id != 0 {
			es, err := o.Client.ListClusterEnvs(ctx, id)
			return listAll(es, err, (*environmentModel).fromAPI)
		}
		es, err := o.Client.ListEnvs(ctx, "")
		return listAll(es, err, (*environmentModel).fromAPI)
	},
	DisplayName: func(m *environmentModel) string { return m.Namespace.ValueString() },
}

var appList = &lister[appModel, projectIDListConfig]{
	Resource: appResource,
	Schema: listSchema("Lists the apps of a Galaxias project.", map[string]listschema.Attribute{
		"project_id": listRef("Id of the `galaxias_project` whose apps to list.", true),
	}),
	List: func(ctx context.Context, o request, cfg *projectIDListConfig) ([]appModel, error) {
		as, err := o.Client.ListProjectApps(ctx, cfg.ProjectID.ValueInt64())
		return listAll(as, err, func(m *appModel, a *client.App) { m.fromAPI(o.Client, a) })
	},
	DisplayName: func(m *appModel) string { return m.Name.ValueString() },
}

var projectEnvironmentList = &lister[projectEnvironmentModel, projectIDListConfig]{
	Resource: projectEnvironmentResource,
	Schema: listSchema("Lists the environments of a Galaxias project (project environments).", map[string]listschema.Attribute{
		"project_id": listRef("Id of the `galaxias_project` whose project environments to list.", true),
	}),
	List: func(ctx context.Context, o request, cfg *projectIDListConfig) ([]projectEnvironmentModel, error) {
		pes, err := o.Client.ListProjectEnvs(ctx, cfg.ProjectID.ValueInt64())
		return listAll(pes, err, func(m *projectEnvironmentModel, pe *client.ProjectEnv) {
			m.fromAPI(pe)
			if m.ProjectID.ValueInt64() == 0 { // answers that do not repeat the project
				m.ProjectID = cfg.ProjectID
			}
		})
	},
	DisplayName: func(m *projectEnvironmentModel) string { return m.Name.ValueString() },
}

var deploymentList = &lister[deploymentModel, deploymentListConfig]{
	Resource: deploymentResource,
	Schema: listSchema("Lists the Helm releases that run, as `galaxias_deployment` objects (one per app and "+
		"project environment): those in a project environment, those of an app, or those of an app in a "+
		"project environment. Set `project_environment_id`, `app_id` or both.", map[string]listschema.Attribute{
		"project_environment_id": listRef("Id of the `galaxias_project_environment` whose releases to list.", false),
		"app_id":                 listRef("Id of the `galaxias_app` whose releases to list.", false),
	}),
	List:        listDeployments,
	DisplayName: func(m *deploymentModel) string { return m.Name.ValueString() },
	Validators: []list.ConfigValidator{listresourcevalidator.AtLeastOneOf(
		path.MatchRoot("project_environment_id"), path.MatchRoot("app_id"))},
}

// listDeployments finds the releases that run in the project-environment,
// or in each project-environment of the app's project, keeping one per
// app and project-environment (the deployment's identity).
func listDeployments(ctx context.Context, o request, cfg *deploymentListConfig) ([]deploymentModel, error) {
	peID, appID := cfg.ProjectEnvironmentID.ValueInt64(), cfg.AppID.ValueInt64()
	var pes []int64
	switch {
	case peID != 0:
		pes = []int64{peID}
	case appID != 0:
		app, err := o.Client.GetApp(ctx, appID)
		if err != nil {
			return nil, fmt.Errorf("read app %d: %w", appID, err)
		}
		all, err := o.Client.ListProjectEnvs(ctx, app.ProjectID)
		if err != nil {
			return nil, fmt.Errorf("list the project environments of project %d: %w", app.ProjectID, err)
		}
		for _, pe := range all {
			pes = append(pes, pe.ID)
		}
	default:
		return nil, errors.New("set project_environment_id, app_id or both in the list block's config")
	}
	var out []deploymentModel
	for _, pe := range pes {
		_, rows, err := releasesIn(ctx, o.Client, pe)
		if err != nil {
			return nil, err
		}
		seen := map[int64]bool{}
		for _, r := range rows {
			if appID != 0 && r.AppID != appID || seen[r.AppID] {
				continue
			}
			seen[r.AppID] = true
			out = append(out, deploymentModel{AppID: types.Int64Value(r.AppID), ProjectEnvironmentID: types.Int64Value(pe),
				Name: types.StringValue(r.Name), ID: types.Int64Value(r.DeploymentID), Timeouts: nullTimeouts})
		}
	}
	return out, nil
}

// nullTimeouts is the unset timeouts of a deployment found by a list.
var nullTimeouts = timeouts.Value{Object: types.ObjectNull(map[string]attr.Type{
	"create": types.StringType, "update": types.StringType})}

func (p *galaxiasProvider) ListResources(context.Context) []func() list.ListResource {
	return []func() list.ListResource{
		projectList.New,
		clusterList.New,
		environmentList.New,
		projectEnvironmentList.New,
		appList.New,
		userList.New,
		deploymentList.New,
	}
}
