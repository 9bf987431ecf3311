package galaxias

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/tfx"
)

type environmentModel struct {
	ID          types.Int64  `tfsdk:"id"`
	ClusterID   types.Int64  `tfsdk:"cluster_id"`
	Namespace   types.String `tfsdk:"namespace"`
	Description types.String `tfsdk:"description"`
}

func (m *environmentModel) fromAPI(e *client.Env) {
	m.ID = types.Int64Value(e.ID)
	m.ClusterID = types.Int64Value(e.ClusterID)
	m.Namespace = types.StringValue(e.Namespace)
	m.Description = types.StringValue(e.Description)
}

func (m *environmentModel) toAPI() client.EnvInput {
	return client.EnvInput{ClusterID: m.ClusterID.ValueInt64(), Namespace: m.Namespace.ValueString(), Description: m.Description.ValueString()}
}

// namespaceValidator applies the Kubernetes namespace rules (an RFC 1123 label).
func namespaceValidator() validator.String {
	return stringvalidator.All(
		stringvalidator.LengthBetween(1, 63),
		stringvalidator.RegexMatches(NamespaceRE, "must be a Kubernetes namespace: lowercase letters, digits and "+
			"'-', starting and ending with a letter or digit, at most 63 characters"),
	)
}

var environmentResource = &crud[environmentModel]{
	API:  galaxiasAPI,
	Name: "environment",
	Schema: schema.Schema{
		MarkdownDescription: "A Galaxias environment (an \"env\"): one Kubernetes namespace of one cluster. The " +
			"pair (cluster, namespace) is unique. Import with the numeric id.",
		Attributes: map[string]schema.Attribute{
			"id":         idAttribute("The environment's id."),
			"cluster_id": refAttribute("Id of the `galaxias_cluster`."),
			"namespace": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Kubernetes namespace. Changing it replaces the environment.",
				Validators:          []validator.String{namespaceValidator()},
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"description": descriptionAttribute(),
		},
	},
	Import:    importNumericID(func(m *environmentModel) *types.Int64 { return &m.ID }),
	Identity:  tfx.Identity{"id"},
	CheckPlan: descriptionLimit(func(m *environmentModel) types.String { return m.Description }, descriptionMax),
	Create: func(ctx context.Context, o request, m *environmentModel) error {
		e, err := o.Client.CreateEnv(ctx, m.toAPI())
		if err != nil {
			return err
		}
		m.fromAPI(e)
		return nil
	},
	Read: func(ctx context.Context, o request, m *environmentModel) error {
		// Imported by id, the cluster is not known yet (0): the client reads the env by its id.
		e, err := o.Client.ReadEnv(ctx, m.ClusterID.ValueInt64(), m.ID.ValueInt64())
		if err != nil {
			return err
		}
		m.fromAPI(e)
		return nil
	},
	Update: func(ctx context.Context, o request, m, prior *environmentModel) error {
		// Only the description changes in place.
		e, err := o.Client.UpdateEnv(ctx, prior.ID.ValueInt64(), client.EnvInput{Description: m.Description.ValueString()})
		if err != nil {
			return err
		}
		m.fromAPI(e)
		return nil
	},
	Delete: func(ctx context.Context, o request, m *environmentModel) error {
		return deleteEnv(ctx, o.Client, m.ID.ValueInt64())
	},
}
