package drone

import (
	"context"
	"net/http"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/galaxias/terraform-provider-galaxias/internal/tfx"
)

func newSecretsDataSource() datasource.DataSource { return &secretsDataSource{} }

func newOrgSecretsDataSource() datasource.DataSource { return &secretsDataSource{org: true} }

// secretsDataSource is drone_secrets (the secret names of a repository) and
// drone_orgsecrets (those of a namespace). Drone never returns values.
type secretsDataSource struct {
	dataSourceBase
	org bool
}

// key is the input attribute: namespace or repository.
func (d *secretsDataSource) key() string {
	if d.org {
		return "namespace"
	}
	return "repository"
}

func (d *secretsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_secrets"
	if d.org {
		resp.TypeName = req.ProviderTypeName + "_orgsecrets"
	}
}

func (d *secretsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	in := schema.StringAttribute{
		Required:            true,
		MarkdownDescription: "Repository slug `owner/name`.",
		Validators:          []validator.String{tfx.Regex(RepoSlug, "owner/name (letters, digits, '.', '_' and '-')")},
	}
	desc := "The names of the secrets of a Drone repository (Drone never returns secret values)."
	if d.org {
		in.MarkdownDescription = "Namespace: SCM organisation or user."
		in.Validators = []validator.String{tfx.Regex(Namespace, "an organisation or user name (letters, digits, '.', '_' and '-')")}
		desc = "The names of the organisation secrets of a namespace (Drone never returns secret values). Needs a " +
			"Drone system admin token or a member of the organisation."
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: desc,
		Attributes: map[string]schema.Attribute{
			"id":    schema.StringAttribute{Computed: true, MarkdownDescription: "The " + d.key() + "."},
			d.key(): in,
			"names": schema.ListAttribute{
				Computed: true, ElementType: types.StringType,
				MarkdownDescription: "Secret names, sorted.",
			},
		},
	}
}

func (d *secretsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var key types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(d.key()), &key)...)
	if resp.Diagnostics.HasError() {
		return
	}
	route := Path("api", "secrets", key.ValueString())
	if !d.org {
		owner, repo, _ := strings.Cut(key.ValueString(), "/")
		route = Path("api", "repos", owner, repo, "secrets")
	}
	var secrets []secretAPI
	if err := d.client.Do(ctx, http.MethodGet, route, nil, &secrets); err != nil {
		tfx.APIError(&resp.Diagnostics, "list the Drone secrets of "+key.ValueString(), err)
		return
	}
	names := make([]string, 0, len(secrets))
	for _, s := range secrets {
		names = append(names, s.Name)
	}
	slices.Sort(names)
	list, diags := types.ListValueFrom(ctx, types.StringType, names)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), key)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("names"), list)...)
}
