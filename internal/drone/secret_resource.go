package drone

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/galaxias/terraform-provider-galaxias/internal/drone/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/tfx"
)

// secretResource: import with owner/repo/name. Drone never returns secret
// values, so the imported state has no value: the next plan shows an
// in-place update that writes the configured value. Its operations are
// those of drone_orgsecret (withSecretOps), on the repository's secrets.
var secretResource = withSecretOps(&crud[secretModel]{
	API:        droneAPI,
	Name:       "secret",
	Schema:     secretSchema(),
	Label:      (*secretModel).label,
	Identified: (*secretModel).identified,
	Validators: secretConfigValidators(),
	CheckPlan:  checkSecret,
	ModifyPlan: planSecretEvents,
	Import:     importSlugName(func(m *secretModel) (id, repository, name *types.String) { return &m.ID, &m.Repository, &m.Name }),
	Identity:   tfx.Identity{"repository", "name"},
}, func(c *conn) client.SecretAPI { return c.Secrets })

type secretModel struct {
	ID         types.String `tfsdk:"id"`
	Repository types.String `tfsdk:"repository"`
	secretFields
	Events types.Set `tfsdk:"events"`
	Images types.Set `tfsdk:"images"`
}

func secretSchema() schema.Schema {
	attrs := secretAttributes()
	attrs["id"] = schema.StringAttribute{
		Computed: true, MarkdownDescription: "`owner/repo/name`.",
		PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
	}
	attrs["repository"] = schema.StringAttribute{
		Required:            true,
		MarkdownDescription: "Repository slug `owner/name`. Changing it replaces the secret.",
		Validators:          []validator.String{tfx.Regex(RepoSlug, "owner/name (letters, digits, '.', '_' and '-')")},
		PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
	}
	attrs["events"] = schema.SetAttribute{
		Optional: true, Computed: true, ElementType: types.StringType,
		MarkdownDescription: "Drone 0.8 only: the build events the secret is exposed to, among `push`, `tag`, " +
			"`deployment` and `pull_request`. When unset, `push`, `tag` and `deployment`, plus `pull_request` when " +
			"`allow_on_pull_request` is true; the provider always sends the list (an empty list would expose the " +
			"secret to every event, pull requests included). Setting it on Drone 1.x is an error: use " +
			"`allow_on_pull_request` there. Null on Drone 1.x.",
		Validators: []validator.Set{
			setvalidator.SizeAtLeast(1),
			setvalidator.ValueStringsAre(stringvalidator.OneOf(client.SecretEvents08...)),
		},
	}
	attrs["images"] = schema.SetAttribute{
		Optional: true, ElementType: types.StringType,
		MarkdownDescription: "Drone 0.8 only: the images (patterns such as `plugins/docker`) the secret is limited " +
			"to; unset means every image. Drone 0.8 cannot remove every image of a secret in place: unsetting it " +
			"replaces the secret. Setting it on Drone 1.x is an error.",
		Validators: []validator.Set{
			setvalidator.SizeAtLeast(1),
			setvalidator.ValueStringsAre(stringvalidator.LengthAtLeast(1)),
		},
		PlanModifiers: []planmodifier.Set{replaceWhenImagesEmptied()},
	}
	return schema.Schema{
		MarkdownDescription: "A secret of one Drone repository, for example `docker_password`. Give the value with " +
			"`value` (kept in state, marked sensitive) or, on Terraform 1.11 and later, with the write-only " +
			"`value_wo` and `value_wo_version` (never kept in state).\n\n" +
			"On Drone 0.8 a secret is limited by build events instead of flags: see `events`, `images` and the " +
			"guide \"Drone 0.8 servers\".\n\n" +
			"Import with `owner/repo/name`. Drone never returns secret values, so an imported secret has no value " +
			"in state: the first plan after the import shows an in-place update of `value` (shown as " +
			"`(sensitive value)`) or of `value_wo_version`, and applying it writes the configured value to Drone.",
		Attributes: attrs,
	}
}

func (m *secretModel) scope() client.SecretScope {
	owner, repo := splitSlug(m.Repository.ValueString())
	return client.SecretScope{Owner: owner, Repo: repo}
}

func (m *secretModel) label() string {
	return `Drone secret "` + m.Repository.ValueString() + "/" + m.Name.ValueString() + `"`
}

func (m *secretModel) identified() bool {
	s := m.scope()
	return m.ID.ValueString() != "" && s.Owner != "" && s.Repo != "" && m.Name.ValueString() != ""
}

// toAPI is the secret to send, with its event and image lists.
func (m *secretModel) toAPI(ctx context.Context, config tfsdk.Config, prior *secretFields, diags *diag.Diagnostics) client.SecretInput {
	in := m.secretFields.toAPI(ctx, config, prior, diags)
	in.Events = setStrings(ctx, m.Events, diags)
	in.Images = setStrings(ctx, m.Images, diags)
	return in
}

// fromAPI copies Drone's answer. The event and image lists exist only on
// Drone 0.8 (Events is never nil there); they are null on 1.x.
func (m *secretModel) fromAPI(s *client.Secret) {
	m.secretFields.fromAPI(s)
	m.ID = types.StringValue(m.Repository.ValueString() + "/" + m.Name.ValueString())
	m.Events = types.SetNull(types.StringType)
	m.Images = types.SetNull(types.StringType)
	if s.Events != nil {
		m.Events = stringSet(s.Events)
	}
	if len(s.Images) > 0 {
		m.Images = stringSet(s.Images)
	}
}

// checkSecret rejects, at plan time, what the server's dialect cannot
// store.
func checkSecret(_ context.Context, o request, m, _ *secretModel) {
	c, diags := o.Client, o.Diags
	m.checkPullRequestPush(c, diags)
	if c.Traits.SecretEvents {
		if n := m.Name.ValueString(); n != strings.ToLower(n) {
			diags.AddAttributeError(path.Root("name"), "Secret names are lower case on "+c.Info.Name(),
				fmt.Sprintf("Drone 0.8 stores secret names in lower case: write name = %q.", strings.ToLower(n)))
		}
		return
	}
	for _, a := range []struct {
		name string
		v    types.Set
	}{{"events", m.Events}, {"images", m.Images}} {
		if !a.v.IsNull() && !a.v.IsUnknown() {
			diags.AddAttributeError(path.Root(a.name), a.name+" is a Drone 0.8 setting",
				fmt.Sprintf("%s secrets have no event or image lists: remove %s. Expose a secret to pull requests "+
					"with allow_on_pull_request (and allow_push_on_pull_request).", c.Info.Name(), a.name))
		}
	}
}

// setStrings returns the strings of a set (nil when null or unknown).
func setStrings(ctx context.Context, s types.Set, diags *diag.Diagnostics) []string {
	if s.IsNull() || s.IsUnknown() {
		return nil
	}
	var out []string
	diags.Append(s.ElementsAs(ctx, &out, false)...)
	slices.Sort(out)
	return out
}

// stringSet returns a set of strings.
func stringSet(v []string) types.Set {
	elems := make([]attr.Value, len(v))
	for i, s := range v {
		elems[i] = types.StringValue(s)
	}
	return types.SetValueMust(types.StringType, elems)
}
