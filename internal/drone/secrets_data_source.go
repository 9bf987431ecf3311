package drone

import (
	"github.com/hashicorp/terraform-plugin-framework/datasource"
)

func secretName(s *secretAPI) (string, bool) { return s.Name, true }

func newSecretsDataSource() datasource.DataSource {
	return &namesDataSource[secretAPI]{
		dataSourceBase: dataSourceBase{
			typeName: "_secrets",
			desc:     "The names of the secrets of a Drone repository (Drone never returns secret values).",
			inputs:   []input{repositoryInput()},
		},
		route:    func(in []string) string { return repoRoute(in) + "/secrets" },
		list:     "names",
		listDesc: "Secret names",
		name:     secretName,
	}
}

func newOrgSecretsDataSource() datasource.DataSource {
	return &namesDataSource[secretAPI]{
		dataSourceBase: dataSourceBase{
			typeName: "_orgsecrets",
			desc: "The names of the organisation secrets of a namespace (Drone never returns secret values). " +
				"Needs a Drone system admin token or a member of the organisation.",
			inputs: []input{namespaceInput()},
		},
		route:    func(in []string) string { return Path("api", "secrets", in[0]) },
		list:     "names",
		listDesc: "Secret names",
		name:     secretName,
	}
}
