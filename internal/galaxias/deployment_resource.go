package galaxias

import (
	"context"
	"fmt"
	"time"

	"github.com/Masterminds/semver/v3"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/tfx"
)

const defaultDeployTimeout = 10 * time.Minute

// deploymentResource: a deployment is a rollout that the apply waits for, and
// its refresh follows what runs now rather than the deployment record.
// Import with a deployment's id, or app_id/project_environment_id for the
// release that runs there now.
var deploymentResource = &crud[deploymentModel]{
	API:        galaxiasAPI,
	Name:       "deployment",
	Schema:     deploymentSchema(),
	Validators: []resource.ConfigValidator{positiveTimeouts{}},
	ModifyPlan: planDeployment,
	Import:     importDeployment,
	Identity:   tfx.Identity{"app_id", "project_environment_id"},
	CheckPlan:  descriptionLimit(func(m *deploymentModel) types.String { return m.Description }, deploymentDescriptionMax),
	Create: func(ctx context.Context, o request, m *deploymentModel) error {
		timeout, d := m.Timeouts.Create(ctx, defaultDeployTimeout)
		o.Diags.Append(d...)
		if d.HasError() {
			return tfx.ErrReported // nothing was sent
		}
		return created(m, deploy(ctx, o, m, 0, timeout))
	},
	Read:   readDeployment,
	Update: updateDeployment,
	// Delete uninstalls the release unless uninstall_on_destroy is false:
	// deployments are history, forgetting one leaves the release running.
	Delete: func(ctx context.Context, o request, m *deploymentModel) error {
		if !m.UninstallOnDestroy.ValueBool() {
			return nil
		}
		inst, err := findInstance(ctx, o.Client, m)
		if err != nil {
			return fmt.Errorf("finding the instance to uninstall: %w", err)
		}
		if inst == nil {
			return nil
		}
		if err := o.Client.DeleteInstance(ctx, inst.ID); err != nil {
			return fmt.Errorf("uninstalling release %s: %w", inst.Name, err)
		}
		return nil
	},
}

type deploymentModel struct {
	ID                   types.Int64    `tfsdk:"id"`
	AppID                types.Int64    `tfsdk:"app_id"`
	ProjectEnvironmentID types.Int64    `tfsdk:"project_environment_id"`
	ChartName            types.String   `tfsdk:"chart_name"`
	ChartVersion         types.String   `tfsdk:"chart_version"`
	Description          types.String   `tfsdk:"description"`
	Wait                 types.Bool     `tfsdk:"wait"`
	UninstallOnDestroy   types.Bool     `tfsdk:"uninstall_on_destroy"`
	ConfigRevision       types.String   `tfsdk:"config_revision"`
	ValuesRevision       types.String   `tfsdk:"values_revision"`
	Name                 types.String   `tfsdk:"name"`
	EnvID                types.Int64    `tfsdk:"env_id"`
	Namespace            types.String   `tfsdk:"namespace"`
	Status               types.String   `tfsdk:"status"`
	DeployedAt           types.String   `tfsdk:"deployed_at"`
	Timeouts             timeouts.Value `tfsdk:"timeouts"`
}

// fromAPI copies a deployment record into the model. What the answer
// lacks (the re-implementation answers no project_env_id and no status)
// keeps its value.
func (m *deploymentModel) fromAPI(d *client.Deployment) {
	m.ID = types.Int64Value(d.ID)
	m.AppID = types.Int64Value(d.AppID)
	if d.ProjectEnvID != 0 {
		m.ProjectEnvironmentID = types.Int64Value(d.ProjectEnvID)
	}
	m.ChartName = types.StringValue(d.ChartName)
	m.ChartVersion = types.StringValue(d.ChartVersion)
	m.Description = types.StringValue(d.Description)
	m.Name = types.StringValue(d.Name)
	if d.EnvID != 0 || m.EnvID.IsNull() || m.EnvID.IsUnknown() {
		m.EnvID = types.Int64Value(d.EnvID)
	}
	status := d.Status
	if status == "" { // the synchronous platform: an answer is a success
		status = client.StatusSuccess
	}
	m.Status = types.StringValue(status)
	// RFC 3339 where the server gives an offset; the re-implementation's
	// times have none and are shown as it answers them.
	m.DeployedAt = types.StringValue(d.CreatedAt.String())
}

// toAPI is the deployment to post; replaces is the deployment an update
// replaces (0 on create).
func (m *deploymentModel) toAPI(replaces int64) client.DeploymentInput {
	return client.DeploymentInput{
		AppID: m.AppID.ValueInt64(), ProjectEnvID: m.ProjectEnvironmentID.ValueInt64(),
		ChartName: m.ChartName.ValueString(), ChartVersion: m.ChartVersion.ValueString(),
		Description: m.Description.ValueString(), After: replaces,
	}
}

// SemVer validates a chart version the way Helm does: strict SemVer 2.
func SemVer() validator.String {
	return tfx.StringCheck("a SemVer 2 version such as 1.0.0-master-fe380d", func(s string) error {
		_, err := semver.StrictNewVersion(s)
		return err
	})
}

func deploymentSchema() schema.Schema {
	keep := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	return schema.Schema{
		MarkdownDescription: "Rolls a chart version of an app out to a project-environment, as a pipeline's " +
			"`POST /v1/deployments` does, and keeps it there.\n\n" +
			"* **Create and update** post one deployment (never two for one intent, even through retries) with " +
			"the app's Helm values for that environment. A failed Helm render fails the apply with Helm's message. " +
			"If Galaxias answers asynchronously and `wait` is true, the provider records the deployment in state " +
			"and then waits for its final status: a failure or a timeout leaves the resource tainted; an interrupt " +
			"leaves it recorded as pending, and the next refresh follows it. A failed " +
			"update keeps the previous state, so the next plan tries again. Changing only `description` updates " +
			"the deployment record in place.\n" +
			"* **Values**: Galaxias renders a deployment with the app's values for the project-environment as " +
			"they are at that moment. With `config_revision = galaxias_app_config.<name>.revision`, a change of " +
			"the values plans an update of this resource, and apply writes the values, then posts one new " +
			"deployment of the same chart version (the reference also orders the two resources: no `depends_on` " +
			"is needed). Values edited outside Terraform show as drift of the app config and of `values_revision` " +
			"here; apply puts the values back and rolls the release out once.\n" +
			"* **Drift**: refresh reads the instance that runs now for the app in that environment. If another " +
			"chart version was deployed by hand, the plan shows an update back to the configured one; if the " +
			"release was removed, the plan deploys again. If another chart version was deployed after the plan " +
			"(by a pipeline), apply deploys nothing and fails, asking for a new plan, so that it never rolls that " +
			"deployment back.\n" +
			"* **Destroy** uninstalls the release (deletes the instance) by default, as `helm uninstall` would, so " +
			"that the app and the environment can be deleted after it. With `uninstall_on_destroy = false` destroy " +
			"only forgets the deployment and the release keeps running.\n\n" +
			"Import with `<app_id>/<project_environment_id>` (the release that runs there now, whatever deployment " +
			"made it), or with a deployment's numeric id.",
		Attributes: map[string]schema.Attribute{
			"id":                     idAttributeNoKeep("Id of the deployment this resource made last."),
			"app_id":                 refAttribute("Id of the `galaxias_app`."),
			"project_environment_id": refAttribute("Id of the `galaxias_project_environment` to deploy to."),
			"chart_name": schema.StringAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "Helm chart name. Default: the app's name.",
				Validators:          []validator.String{nameValidator()},
				PlanModifiers:       keep,
			},
			"chart_version": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Chart version to run, SemVer 2 as the pipeline names them, e.g. `1.0.0-master-fe380d`.",
				Validators:          []validator.String{SemVer()},
			},
			"description": schema.StringAttribute{
				Optional: true, Computed: true, Default: stringdefault.StaticString(""),
				MarkdownDescription: "Free text recorded with the deployment. At most 1024 characters; the public " +
					"re-implementation of Galaxias accepts at most 250, checked at plan time there.",
				Validators: []validator.String{stringvalidator.LengthAtMost(1024)},
			},
			"wait": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(true),
				MarkdownDescription: "When Galaxias deploys asynchronously, wait for the final status (within " +
					"`timeouts`). Default `true`. A synchronous Galaxias always answers when it is done.",
			},
			"uninstall_on_destroy": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(true),
				MarkdownDescription: "On destroy, delete the running instance (the Helm release). Default `true`. " +
					"Set `false` for a release that must outlive the configuration: destroy then only forgets the " +
					"deployment, and Galaxias refuses to delete the app and the environment while the release runs.",
			},
			"config_revision": schema.StringAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "Revision of the values to run, normally `galaxias_app_config.<name>.revision` of " +
					"the app config for the same app and project-environment. When it changes, apply posts one new " +
					"deployment of the same chart version, rendered with the new values. Setting it on an existing " +
					"deployment for the first time rolls the release out once, so that it surely runs the declared " +
					"values; removing it from the configuration changes nothing.",
				Validators:    []validator.String{stringvalidator.LengthAtLeast(1)},
				PlanModifiers: []planmodifier.String{keepConfigRevisionWhenUnset()},
			},
			"values_revision": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "Revision of the values Galaxias holds for the app in this project-environment, " +
					"as last read: the values any next deployment is rendered with. Read only when `config_revision` " +
					"is set (null otherwise); when it differs from `config_revision`, the plan rolls the release out.",
			},
			"name":        schema.StringAttribute{Computed: true, MarkdownDescription: "Helm release name, `<chart>-<namespace>`.", PlanModifiers: keep},
			"env_id":      idAttribute("Id of the environment behind the project-environment."),
			"namespace":   computedString("Kubernetes namespace deployed to."),
			"status":      schema.StringAttribute{Computed: true, MarkdownDescription: "`pending`, `running`, `success` or `failure`."},
			"deployed_at": schema.StringAttribute{Computed: true, MarkdownDescription: "When the deployment was made (RFC 3339)."},
			"timeouts": timeouts.Attributes(context.Background(), timeouts.Opts{
				Create: true, Update: true,
				CreateDescription: "How long create may wait for the deployment (default 10m).",
				UpdateDescription: "How long update may wait for the deployment (default 10m).",
			}),
		},
	}
}

// positiveTimeouts refuses a zero or negative timeout at plan time: the
// timeouts attribute itself only checks that it is a Go duration, and a
// negative one would fail every deployment at once as "timed out".
type positiveTimeouts struct{}

func (v positiveTimeouts) Description(ctx context.Context) string { return v.MarkdownDescription(ctx) }

func (positiveTimeouts) MarkdownDescription(context.Context) string {
	return "timeouts.create and timeouts.update are positive durations"
}

func (positiveTimeouts) ValidateResource(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	for _, name := range []string{"create", "update"} {
		p := path.Root("timeouts").AtName(name)
		var v types.String
		if diags := req.Config.GetAttribute(ctx, p, &v); diags.HasError() || v.IsNull() || v.IsUnknown() {
			continue
		}
		if d, err := time.ParseDuration(v.ValueString()); err == nil && d <= 0 {
			resp.Diagnostics.AddAttributeError(p, "Invalid timeouts."+name,
				fmt.Sprintf("timeouts.%s must be a positive duration such as \"10m\", got %q.", name, v.ValueString()))
		}
	}
}

// updateDeployment changes the description of the last deployment in place,
// or posts a new deployment when planDeployment planned one (an unknown id),
// unless a deployment landed since the plan (checkReleaseSincePlan). A
// failed new deployment keeps the prior state, so the next plan tries
// again.
func updateDeployment(ctx context.Context, o request, m, prior *deploymentModel) error {
	if !m.ID.IsUnknown() {
		if m.Description.Equal(prior.Description) {
			return nil
		}
		d, err := o.Client.UpdateDeployment(ctx, prior.ID.ValueInt64(), m.Description.ValueString())
		if err != nil && !client.IsNotFound(err) {
			return fmt.Errorf("updating the deployment's description: %w", err)
		}
		if d != nil {
			m.Description = types.StringValue(d.Description)
		}
		return nil
	}
	timeout, d := m.Timeouts.Update(ctx, defaultDeployTimeout)
	o.Diags.Append(d...)
	if d.HasError() {
		return tfx.ErrReported // nothing was sent
	}
	if err := checkReleaseSincePlan(ctx, o, m, prior); err != nil {
		return err // nothing was sent
	}
	return deploy(ctx, o, m, prior.ID.ValueInt64(), timeout) // an error keeps the prior state
}

// readDeployment follows what runs now: the instance of the app in the
// environment.
func readDeployment(ctx context.Context, o request, m *deploymentModel) error {
	c := o.Client
	recordedFailure := m.Status.ValueString() == client.StatusFailure
	if m.AppID.IsNull() || !isFinal(m.Status.ValueString()) {
		// Imported, or not finished when last seen: read the deployment itself.
		d, err := c.GetDeployment(ctx, m.ID.ValueInt64())
		if err != nil && !client.IsNotFound(err) {
			return fmt.Errorf("reading the deployment: %w", err)
		}
		if d == nil && m.AppID.IsNull() {
			return tfx.ErrNoObject // an imported id that does not exist
		}
		if d != nil {
			m.fromAPI(d)
		}
		if m.ProjectEnvironmentID.IsNull() || m.ProjectEnvironmentID.IsUnknown() {
			pe, err := projectEnvOf(ctx, c, m)
			if err != nil {
				return fmt.Errorf("cannot tell the deployment's project environment: %w", err)
			}
			m.ProjectEnvironmentID = types.Int64Value(pe)
		}
		if m.Namespace.IsNull() || m.Namespace.IsUnknown() {
			if ns, err := namespaceOf(ctx, c, m.EnvID.ValueInt64()); err == nil {
				m.Namespace = types.StringValue(ns)
			}
		}
	}
	inst, err := findInstance(ctx, c, m)
	if err != nil {
		return fmt.Errorf("reading the running instance: %w", err)
	}
	switch {
	case m.Status.ValueString() == client.StatusPending || m.Status.ValueString() == client.StatusRunning:
		// Still on its way (wait = false): what runs now is the previous
		// version, or nothing yet. Not drift: keep it.
	case inst != nil:
		// Someone may have deployed another version by hand: show it.
		m.ChartName = types.StringValue(inst.ChartName)
		m.ChartVersion = types.StringValue(inst.ChartVersion)
		m.Name = types.StringValue(inst.Name)
	case recordedFailure:
		// An apply recorded this failure and Terraform tainted the resource:
		// keep it, so the next apply replaces it.
	default:
		// Nothing runs: the release was removed, or a deployment made with
		// wait = false failed since. Deploy again.
		return tfx.ErrNoObject
	}
	if !m.ConfigRevision.IsNull() {
		rev, err := valuesRevision(ctx, c, m.AppID.ValueInt64(), m.ProjectEnvironmentID.ValueInt64())
		if err != nil {
			return fmt.Errorf("reading the app's values: %w", err)
		}
		m.ValuesRevision = types.StringValue(rev)
		if inst != nil && inst.LastDeployment != 0 && inst.LastDeployment != m.ID.ValueInt64() && isFinal(m.Status.ValueString()) {
			// A later deployment made what runs (by hand, by a pipeline, or
			// ours, finished after the apply stopped waiting): Galaxias
			// rendered it with the values it holds.
			m.ConfigRevision = m.ValuesRevision
		}
	}
	return nil
}

// valuesRevision returns the revision of the values Galaxias holds for the
// app in the project-environment; none is the empty values Galaxias deploys.
func valuesRevision(ctx context.Context, c *client.Client, appID, projectEnvID int64) (string, error) {
	cfg, err := c.GetAppConfig(ctx, appID, projectEnvID)
	if client.IsNotFound(err) {
		return ValuesRevision(""), nil
	}
	if err != nil {
		return "", err
	}
	return ValuesRevision(cfg.Config), nil
}

// findInstance returns the running instance of the deployment's chart for
// its app in its env, or nil. The client attributes instances from what
// they carry (servers that ignore the filters answer every release), so
// another app's or environment's release is never taken for this one.
func findInstance(ctx context.Context, c *client.Client, m *deploymentModel) (*client.Instance, error) {
	return c.FindInstance(ctx, m.AppID.ValueInt64(), m.EnvID.ValueInt64(), m.ChartName.ValueString())
}
