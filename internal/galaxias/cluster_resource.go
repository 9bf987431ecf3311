package galaxias

import (
	"context"
	"errors"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/tfx"
)

type clusterModel struct {
	ID              types.Int64  `tfsdk:"id"`
	Name            types.String `tfsdk:"name"`
	Description     types.String `tfsdk:"description"`
	Config          types.String `tfsdk:"config"`
	ConfigWO        types.String `tfsdk:"config_wo"`
	ConfigWOVersion types.Int64  `tfsdk:"config_wo_version"`
}

func (m *clusterModel) fromAPI(c *client.Cluster) {
	m.ID = types.Int64Value(c.ID)
	m.Name = types.StringValue(c.Name)
	m.Description = types.StringValue(c.Description)
	if !m.Config.IsNull() && c.HasConfig && c.Config != "" {
		// Only with `config` is the kubeconfig tracked, and its drift shown
		// only where the answer tells it: the re-implementation never
		// answers it, and the contract answers "" to roles that may not
		// read it. Then state keeps what was configured.
		m.Config = types.StringValue(c.Config)
	}
	m.ConfigWO = types.StringNull()
}

// toAPI is the cluster to send, with the kubeconfig that kubeconfig chose.
func (m *clusterModel) toAPI(kubeconfig string) client.ClusterInput {
	return client.ClusterInput{Name: m.Name.ValueString(), Description: m.Description.ValueString(), Config: kubeconfig}
}

// kubeconfig returns the kubeconfig to send: from `config`, or from the
// write-only `config_wo` of the configuration (Terraform passes write-only
// values to every apply). changed is false when neither the value nor the
// write-only version changed since prior.
func (m *clusterModel) kubeconfig(ctx context.Context, o request, prior *clusterModel) (string, bool) {
	if !m.Config.IsNull() {
		return m.Config.ValueString(), prior == nil || !prior.Config.Equal(m.Config)
	}
	var wo types.String
	o.Diags.Append(o.Config.GetAttribute(ctx, path.Root("config_wo"), &wo)...)
	changed := prior == nil || !prior.Config.IsNull() || !prior.ConfigWOVersion.Equal(m.ConfigWOVersion)
	return wo.ValueString(), changed
}

// clusterNameFixed: a cluster cannot be replaced safely (deleting it
// would take its environments, or on the re-implementation orphan them), so
// a rename it would ignore is an error at plan time.
var clusterNameFixed = fixedAttr{
	can:  func(t client.Traits) bool { return t.Renames },
	what: "`PUT /v1/clusters/{id}` ignores `name`",
	advice: "Set `name` back to the cluster's current name. A cluster under another name is a new " +
		"`galaxias_cluster` (another resource address), with its environments made anew.",
}

var clusterResource = &crud[clusterModel]{
	API:  galaxiasAPI,
	Name: "cluster",
	Schema: schema.Schema{
		MarkdownDescription: "A Kubernetes cluster known to Galaxias, with the kubeconfig the platform deploys " +
			"with. The kubeconfig is a secret: give it with `config` (sensitive, kept in state) or with the " +
			"write-only `config_wo` + `config_wo_version` (Terraform 1.11+, never stored). Creating and changing " +
			"clusters needs the `admin` or `system_tools_admin` role.\n\n" +
			"**What the server answers.** Where Galaxias answers the kubeconfig (the contract, to admins), " +
			"a kubeconfig changed outside Terraform shows as drift of `config`. The public re-implementation " +
			"never answers it: there state keeps the configured kubeconfig, its changes outside Terraform cannot " +
			"be seen, and since that server requires the kubeconfig on every update (and checks it by calling " +
			"the cluster's API server), every update sends the configured one (`config`, or `config_wo` from " +
			"the configuration, whatever its version). That server's create waits for the cluster's API server " +
			"without a time limit: where the API server does not answer, the create fails after one `request_timeout` " +
			"of the provider with an error that names the API server, and is not sent again.\n\n" +
			"**Import** with the numeric id. An import cannot read the kubeconfig back, so it must be supplied " +
			"once: keep `config` or `config_wo` + `config_wo_version` in the configuration, and the first plan " +
			"after the import shows an update in place that sends it.",
		Attributes: map[string]schema.Attribute{
			"id": idAttribute("The cluster's id."),
			"name": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "Cluster name, unique on the platform (often its API address). Updates in place where " +
					"the server can rename clusters; the public re-implementation cannot (its `PUT /v1/clusters/{id}` " +
					"ignores `name`), and there a new name is an error at plan time.",
				Validators:    []validator.String{stringvalidator.LengthBetween(1, 253)},
				PlanModifiers: []planmodifier.String{refuseChangeWhereFixed(clusterNameFixed)},
			},
			"description": descriptionAttribute(),
			"config": schema.StringAttribute{
				Optional: true, Sensitive: true,
				MarkdownDescription: "The kubeconfig (YAML), kept in state as a sensitive value and never shown in " +
					"plans. Exactly one of `config` and `config_wo` is required.",
				Validators: []validator.String{stringvalidator.LengthAtLeast(1), yamlValidator{}},
			},
			"config_wo": schema.StringAttribute{
				Optional: true, Sensitive: true, WriteOnly: true,
				MarkdownDescription: "The kubeconfig, write-only: sent to Galaxias, never stored in state or plan. " +
					"Change `config_wo_version` to send a new one.",
				Validators: []validator.String{stringvalidator.LengthAtLeast(1), yamlValidator{}},
			},
			"config_wo_version": schema.Int64Attribute{
				Optional:            true,
				MarkdownDescription: "Version of `config_wo`; the kubeconfig is sent at creation and whenever it changes.",
				Validators:          []validator.Int64{int64validator.AlsoRequires(path.MatchRoot("config_wo"))},
			},
		},
	},
	Validators: []resource.ConfigValidator{
		resourcevalidator.ExactlyOneOf(path.MatchRoot("config"), path.MatchRoot("config_wo")),
	},
	Import:    importNumericID(func(m *clusterModel) *types.Int64 { return &m.ID }),
	Identity:  tfx.Identity{"id"},
	CheckPlan: descriptionLimit(func(m *clusterModel) types.String { return m.Description }, descriptionMax),
	Create: func(ctx context.Context, o request, m *clusterModel) error {
		kc, _ := m.kubeconfig(ctx, o, nil)
		if o.Diags.HasError() {
			return tfx.ErrReported // the configuration could not be read: nothing was sent
		}
		cl, err := o.Client.CreateCluster(ctx, m.toAPI(kc))
		if kt := (*client.KubeCheckTimeoutError)(nil); errors.As(err, &kt) {
			kt.Server = kubeServer(kc) // name the API server the server waited for
		}
		if err != nil {
			return err
		}
		m.fromAPI(cl)
		return nil
	},
	Read: func(ctx context.Context, o request, m *clusterModel) error {
		cl, err := o.Client.GetCluster(ctx, m.ID.ValueInt64())
		if err != nil {
			return err
		}
		m.fromAPI(cl)
		return nil
	},
	Update: func(ctx context.Context, o request, m, prior *clusterModel) error {
		id := prior.ID.ValueInt64()
		kc, changed := m.kubeconfig(ctx, o, prior)
		if o.Diags.HasError() {
			return tfx.ErrReported
		}
		if !changed {
			// Every PUT carries a kubeconfig (the re-implementation requires
			// one): the one the server has, where it answers it, so that a
			// new config_wo under the same version is not sent; else the
			// configured one, the only one there is.
			cur, err := o.Client.GetCluster(ctx, id)
			if err != nil {
				return err
			}
			if cur.HasConfig && cur.Config != "" {
				kc = cur.Config
			}
		}
		cl, err := o.Client.UpdateCluster(ctx, id, m.toAPI(kc))
		if err != nil {
			return err
		}
		if err := checkKept("name", m.Name.ValueString(), cl.Name, clusterNameFixed.advice); err != nil {
			return err
		}
		m.fromAPI(cl)
		return nil
	},
	Delete: func(ctx context.Context, o request, m *clusterModel) error {
		return o.Client.DeleteCluster(ctx, m.ID.ValueInt64())
	},
}
