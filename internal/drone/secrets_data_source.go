package drone

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"

	"github.com/galaxias/terraform-provider-galaxias/internal/drone/client"
)

func secretName(s *client.Secret) (string, bool) { return s.Name, true }

func newSecretsDataSource() datasource.DataSource {
	return &namesDataSource[client.Secret]{
		dataSourceBase: dataSourceBase{
			typeName: "_secrets",
			desc:     "The names of the secrets of a Drone repository (Drone never returns secret values).",
			inputs:   []input{repositoryInput()},
		},
		list: func(ctx context.Context, c *conn, in []string) ([]client.Secret, error) {
			owner, name := splitSlug(in[0])
			return c.Secrets.List(ctx, client.SecretScope{Owner: owner, Repo: name})
		},
		attr:     "names",
		listDesc: "Secret names",
		name:     secretName,
	}
}

func newOrgSecretsDataSource() datasource.DataSource {
	return &namesDataSource[client.Secret]{
		dataSourceBase: dataSourceBase{
			typeName: "_orgsecrets",
			desc: "The names of the organisation secrets of a namespace (Drone never returns secret values). " +
				"Needs a Drone system admin token or a member of the organisation, and Drone 1.0 or later.",
			inputs:   []input{namespaceInput()},
			requires: (*conn).needOrgSecrets,
		},
		list: func(ctx context.Context, c *conn, in []string) ([]client.Secret, error) {
			return c.OrgSecrets.List(ctx, client.SecretScope{Owner: in[0]})
		},
		attr:     "names",
		listDesc: "Secret names",
		name:     secretName,
	}
}
