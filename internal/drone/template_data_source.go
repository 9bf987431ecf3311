package drone

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
)

// explainTemplates says which Drone version the templates API needs when a
// data source gets a 404 from a server that does not have it.
func explainTemplates(ctx context.Context, c *Client, in []string, err error) error {
	return explainNoTemplates(ctx, c, in[0], err)
}

func newTemplateDataSource() datasource.DataSource {
	return &objectDataSource[templateAPI]{
		dataSourceBase: dataSourceBase{
			typeName: "_template",
			desc:     "A pipeline template of a namespace (Drone " + templatesSince + " or later).",
			inputs:   []input{namespaceInput(), nameInput("name", "File name of the template, e.g. `go.yaml`.")},
		},
		route: func(in []string) string { return Path("api", "templates", in[0], in[1]) },
		fields: []field[templateAPI]{
			str("data", "Template content.", func(t *templateAPI) string { return t.Data }),
		},
		id:      func(in []string, _ *templateAPI) string { return in[0] + "/" + in[1] },
		idDesc:  "`namespace/name`.",
		explain: explainTemplates,
	}
}

func newTemplatesDataSource() datasource.DataSource {
	return &namesDataSource[templateAPI]{
		dataSourceBase: dataSourceBase{
			typeName: "_templates",
			desc:     "The names of the pipeline templates of a namespace (Drone " + templatesSince + " or later).",
			inputs:   []input{namespaceInput()},
		},
		route:    func(in []string) string { return Path("api", "templates", in[0]) },
		list:     "names",
		listDesc: "Template names",
		name:     func(t *templateAPI) (string, bool) { return t.Name, true },
		explain:  explainTemplates,
	}
}
