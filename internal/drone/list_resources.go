package drone

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/galaxias/terraform-provider-galaxias/internal/drone/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/tfx"
)

// The list resources (`terraform query`, Terraform ≥ 1.14): each finds the
// objects of one resource type through Drone's lists, with their identity,
// a display name and, with include_resource, the object as an import by
// that identity saves it (secret values never: Drone does not return them).

type lister[M, L any] = tfx.Lister[*conn, M, L]

type noListConfig struct{}

type repositoryListConfig struct {
	Repository types.String `tfsdk:"repository"`
}

type namespaceListConfig struct {
	Namespace types.String `tfsdk:"namespace"`
}

func listConfigSchema(what string, attrs map[string]listschema.Attribute) listschema.Schema {
	return listschema.Schema{MarkdownDescription: what, Attributes: attrs}
}

func listRepositoryAttribute(what string) map[string]listschema.Attribute {
	return map[string]listschema.Attribute{"repository": listschema.StringAttribute{Required: true,
		MarkdownDescription: "The repository (`owner/name`) whose " + what + " to list."}}
}

// listSlug splits the configured repository, refusing what is not
// owner/name.
func listSlug(repo types.String) (owner, name string, err error) {
	owner, name = splitSlug(repo.ValueString())
	if owner == "" || name == "" || strings.Contains(name, "/") {
		return "", "", fmt.Errorf("repository %q is not owner/name", repo.ValueString())
	}
	return owner, name, nil
}

var repoList = &lister[repoModel, noListConfig]{
	Resource: repoResource,
	Schema: listConfigSchema("Lists the repositories enabled in Drone that the provider's user can see "+
		"(`GET /api/user/repos`; on Drone 0.8, the active ones of that list).", nil),
	List: func(ctx context.Context, o request, _ *noListConfig) ([]repoModel, error) {
		repos, err := o.Client.Repos.List(ctx)
		if err != nil {
			return nil, err
		}
		var out []repoModel
		for i := range repos {
			if repos[i].Active {
				slug := types.StringValue(repos[i].Slug)
				out = append(out, repoModel{repoFields: repoFields{ID: slug, Repository: slug}})
			}
		}
		return out, nil
	},
	DisplayName: func(m *repoModel) string { return m.Repository.ValueString() },
}

var secretList = &lister[secretModel, repositoryListConfig]{
	Resource: secretResource,
	Schema: listConfigSchema("Lists the secrets of a Drone repository (their values never: Drone does not "+
		"return them).", listRepositoryAttribute("secrets")),
	List: func(ctx context.Context, o request, cfg *repositoryListConfig) ([]secretModel, error) {
		owner, name, err := listSlug(cfg.Repository)
		if err != nil {
			return nil, err
		}
		secrets, err := o.Client.Secrets.List(ctx, client.SecretScope{Owner: owner, Repo: name})
		if err != nil {
			return nil, err
		}
		out := make([]secretModel, len(secrets))
		for i := range secrets {
			out[i].Repository = cfg.Repository
			out[i].fromAPI(&secrets[i])
		}
		return out, nil
	},
	DisplayName: func(m *secretModel) string { return m.ID.ValueString() },
}

var orgSecretList = &lister[orgSecretModel, namespaceListConfig]{
	Resource: orgSecretResource,
	Schema: listConfigSchema("Lists the organisation secrets of a namespace (Drone ≥ 1.0; their values never).",
		map[string]listschema.Attribute{"namespace": listschema.StringAttribute{Required: true,
			MarkdownDescription: "The namespace (organisation) whose secrets to list."}}),
	List: func(ctx context.Context, o request, cfg *namespaceListConfig) ([]orgSecretModel, error) {
		secrets, err := o.Client.OrgSecrets.List(ctx, client.SecretScope{Owner: cfg.Namespace.ValueString()})
		if err != nil {
			return nil, err
		}
		out := make([]orgSecretModel, len(secrets))
		for i := range secrets {
			out[i].Namespace = cfg.Namespace
			out[i].fromAPI(&secrets[i])
		}
		return out, nil
	},
	DisplayName: func(m *orgSecretModel) string { return m.ID.ValueString() },
}

var cronList = &lister[cronModel, repositoryListConfig]{
	Resource: cronResource,
	Schema:   listConfigSchema("Lists the cron jobs of a Drone repository (Drone ≥ 1.0).", listRepositoryAttribute("cron jobs")),
	List: func(ctx context.Context, o request, cfg *repositoryListConfig) ([]cronModel, error) {
		owner, name, err := listSlug(cfg.Repository)
		if err != nil {
			return nil, err
		}
		crons, err := o.Client.Crons.List(ctx, owner, name)
		if err != nil {
			return nil, err
		}
		out := make([]cronModel, len(crons))
		for i := range crons {
			out[i].Repository = cfg.Repository
			out[i].fromAPI(&crons[i])
		}
		return out, nil
	},
	DisplayName: func(m *cronModel) string { return m.ID.ValueString() },
}

func (p *droneProvider) ListResources(context.Context) []func() list.ListResource {
	return []func() list.ListResource{repoList.New, secretList.New, orgSecretList.New, cronList.New}
}
