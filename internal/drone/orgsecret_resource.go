package drone

import (
	"context"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/galaxias/terraform-provider-galaxias/internal/drone/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/tfx"
)

var (
	_ resource.ResourceWithImportState      = (*orgSecretResource)(nil)
	_ resource.ResourceWithConfigValidators = (*orgSecretResource)(nil)
	_ resource.ResourceWithModifyPlan       = (*orgSecretResource)(nil)
)

// The model implements restObject (checked here: the linter does not follow type
// arguments of embedded generic types).
var _ restObject[orgSecretModel, client.Secret] = (*orgSecretModel)(nil)

// Namespace matches a Drone namespace: an SCM organisation or user name.
var Namespace = regexp.MustCompile(`^[A-Za-z0-9_.-]+$`)

func newOrgSecretResource() resource.Resource {
	r := &orgSecretResource{}
	r.requires = (*conn).needOrgSecrets
	r.check = func(c *conn, m *orgSecretModel, diags *diag.Diagnostics) { m.checkPullRequestPush(c, diags) }
	return r
}

type orgSecretResource struct {
	restCRUD[orgSecretModel, client.Secret, *orgSecretModel]
}

type orgSecretModel struct {
	ID        types.String `tfsdk:"id"`
	Namespace types.String `tfsdk:"namespace"`
	secretFields
}

func (m *orgSecretModel) scope() client.SecretScope {
	return client.SecretScope{Owner: m.Namespace.ValueString()}
}

func (m *orgSecretModel) label() string {
	return `org secret "` + m.Namespace.ValueString() + "/" + m.Name.ValueString() + `"`
}

func (m *orgSecretModel) identified() bool {
	return m.ID.ValueString() != "" && m.Namespace.ValueString() != "" && m.Name.ValueString() != ""
}

func (m *orgSecretModel) create(ctx context.Context, c *conn, config tfsdk.Config, diags *diag.Diagnostics) (*client.Secret, error) {
	in := m.toAPI(ctx, config, nil, diags)
	if diags.HasError() {
		return nil, nil
	}
	return c.OrgSecrets.Create(ctx, m.scope(), in)
}

func (m *orgSecretModel) read(ctx context.Context, c *conn) (*client.Secret, error) {
	return c.OrgSecrets.Get(ctx, m.scope(), m.Name.ValueString())
}

func (m *orgSecretModel) update(ctx context.Context, c *conn, prior *orgSecretModel, config tfsdk.Config, diags *diag.Diagnostics) (*client.Secret, error) {
	in := m.toAPI(ctx, config, &prior.secretFields, diags)
	if diags.HasError() {
		return nil, nil
	}
	return c.OrgSecrets.Update(ctx, m.scope(), in)
}

func (m *orgSecretModel) delete(ctx context.Context, c *conn) error {
	return c.OrgSecrets.Delete(ctx, m.scope(), m.Name.ValueString())
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

func (r *orgSecretResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_orgsecret"
}

func (r *orgSecretResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	attrs := secretAttributes()
	attrs["id"] = schema.StringAttribute{
		Computed: true, MarkdownDescription: "`namespace/name`.",
		PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
	}
	attrs["namespace"] = namespaceAttribute("secret")
	resp.Schema = schema.Schema{
		MarkdownDescription: "An organisation secret: a secret that every repository of a namespace (SCM " +
			"organisation or user) can use, for example a registry password. The rules are those of " +
			"`drone_secret`: give the value with `value` (kept in state, marked sensitive) or, on Terraform 1.11 " +
			"and later, with the write-only `value_wo` and `value_wo_version`. Managing org secrets needs a Drone " +
			"system admin token or an admin of the organisation in the SCM. Drone 0.8 has no organisation " +
			"secrets: there the resource is a plan-time error.",
		Attributes: attrs,
	}
}

func (r *orgSecretResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return secretConfigValidators()
}

// ImportState takes namespace/name. Drone never returns secret values: the
// next plan shows an in-place update that writes the configured value.
func (r *orgSecretResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importAttrs(ctx, req, resp, func(p []string) map[string]string {
		return map[string]string{"id": req.ID, "namespace": p[0], "name": p[1]}
	}, "namespace", "name")
}
