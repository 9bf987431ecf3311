package drone

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/galaxias/terraform-provider-galaxias/internal/drone/client"
)

func secretName(s *client.Secret) (string, bool) { return s.Name, true }

var secretsLookup = &lookup[repositoryNamesModel]{
	API:  droneAPI,
	Name: "secrets",
	Schema: namesSchema("The names of the secrets of a Drone repository (Drone never returns secret values).",
		"The repository.", "names", "Secret names", repositoryInput()),
	Read: func(ctx context.Context, o request, m *repositoryNamesModel) error {
		owner, name := splitSlug(m.Repository.ValueString())
		list, err := o.Client.Secrets.List(ctx, client.SecretScope{Owner: owner, Repo: name})
		if err != nil {
			return err
		}
		m.ID, m.Names = m.Repository, sortedNames(list, secretName)
		return nil
	},
}

var orgSecretsLookup = &lookup[namespaceNamesModel]{
	API:       droneAPI,
	Name:      "orgsecrets",
	Available: (*conn).needOrgSecrets,
	Schema: namesSchema("The names of the organisation secrets of a namespace (Drone never returns secret values). "+
		"Needs a Drone system admin token or a member of the organisation, and Drone 1.0 or later.",
		"The namespace.", "names", "Secret names", namespaceInput()),
	Read: func(ctx context.Context, o request, m *namespaceNamesModel) error {
		list, err := o.Client.OrgSecrets.List(ctx, client.SecretScope{Owner: m.Namespace.ValueString()})
		if err != nil {
			return err
		}
		m.ID, m.Names = types.StringValue(m.Namespace.ValueString()), sortedNames(list, secretName)
		return nil
	},
}
