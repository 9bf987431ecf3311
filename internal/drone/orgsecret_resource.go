package drone

import (
	"context"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/galaxias/terraform-provider-galaxias/internal/drone/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/tfx"
)

// Namespace matches a Drone namespace: an SCM organisation or user name.
var Namespace = regexp.MustCompile(`^[A-Za-z0-9_.-]+$`)

// orgSecretResource: import with namespace/name. Drone never returns secret
// values: the next plan shows an in-place update that writes the configured
// value. Its operations are those of drone_secret (withSecretOps), on the
// namespace's secrets.
var orgSecretResource = withSecretOps(&crud[orgSecretModel]{
	API:        droneAPI,
	Name:       "orgsecret",
	Schema:     orgSecretSchema(),
	Label:      (*orgSecretModel).label,
	Identified: (*orgSecretModel).identified,
	Validators: secretConfigValidators(),
	Available:  (*conn).needOrgSecrets,
	CheckPlan: func(_ context.Context, o request, m, _ *orgSecretModel) {
		m.checkPullRequestPush(o.Client, o.Diags)
	},
	Import:   importNamespaceName(func(m *orgSecretModel) (id, namespace, name *types.String) { return &m.ID, &m.Namespace, &m.Name }),
	Identity: tfx.Identity{"namespace", "name"},
}, func(c *conn) client.SecretAPI { return c.OrgSecrets })

type orgSecretModel struct {
	ID        types.String `tfsdk:"id"`
	Namespace types.String `tfsdk:"namespace"`
	secretFields
}

func (m *orgSecretModel) scope() client.SecretScope {
	return client.SecretScope{Owner: m.Namespace.ValueString()}
}

func (m *orgSecretModel) label() string {
	return `Drone org secret "` + m.Namespace.ValueString() + "/" + m.Name.ValueString() + `"`
}

func (m *orgSecretModel) identified() bool {
	return m.ID.ValueString() != "" && m.Namespace.ValueString() != "" && m.Name.ValueString() != ""
}

func (m *orgSecretModel) fromAPI(out *client.Secret) {
	m.secretFields.fromAPI(out)
	m.ID = types.StringValue(m.Namespace.ValueString() + "/" + m.Name.ValueString())
}

// namespaceAttribute is the `namespace` of org-level objects (org secrets,
// templates).
func namespaceAttribute(what string) schema.StringAttribute {
	return schema.StringAttribute{
		Required: true,
		MarkdownDescription: "Namespace: the SCM organisation (or user) that owns the " + what + ". Changing it " +
			"replaces the " + what + ".",
		Validators:    []validator.String{tfx.Regex(Namespace, "an organisation or user name (letters, digits, '.', '_' and '-')")},
		PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
	}
}

func orgSecretSchema() schema.Schema {
	attrs := secretAttributes()
	attrs["id"] = schema.StringAttribute{
		Computed: true, MarkdownDescription: "`namespace/name`.",
		PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
	}
	attrs["namespace"] = namespaceAttribute("secret")
	return schema.Schema{
		MarkdownDescription: "An organisation secret: a secret that every repository of a namespace (SCM " +
			"organisation or user) can use, for example a registry password. The rules are those of " +
			"`drone_secret`: give the value with `value` (kept in state, marked sensitive) or, on Terraform 1.11 " +
			"and later, with the write-only `value_wo` and `value_wo_version`. Managing org secrets needs a Drone " +
			"system admin token or an admin of the organisation in the SCM. Drone 0.8 has no organisation " +
			"secrets: there the resource is a plan-time error.",
		Attributes: attrs,
	}
}
