package drone

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"

	"github.com/galaxias/terraform-provider-galaxias/internal/drone/client"
)

func newTemplateDataSource() datasource.DataSource {
	return &objectDataSource[client.Template]{
		dataSourceBase: dataSourceBase{
			typeName: "_template",
			desc:     "A pipeline template of a namespace (Drone " + templatesSince + " or later).",
			inputs:   []input{namespaceInput(), nameInput("name", "File name of the template, e.g. `go.yaml`.")},
			requires: (*conn).needTemplates,
		},
		get: func(ctx context.Context, c *conn, in []string) (*client.Template, error) {
			return c.Templates.Get(ctx, in[0], in[1])
		},
		fields: []field[client.Template]{
			str("data", "Template content.", func(t *client.Template) string { return t.Data }),
		},
		id:     func(in []string, _ *client.Template) string { return in[0] + "/" + in[1] },
		idDesc: "`namespace/name`.",
	}
}

func newTemplatesDataSource() datasource.DataSource {
	return &namesDataSource[client.Template]{
		dataSourceBase: dataSourceBase{
			typeName: "_templates",
			desc:     "The names of the pipeline templates of a namespace (Drone " + templatesSince + " or later).",
			inputs:   []input{namespaceInput()},
			requires: (*conn).needTemplates,
		},
		list: func(ctx context.Context, c *conn, in []string) ([]client.Template, error) {
			return c.Templates.List(ctx, in[0])
		},
		attr:     "names",
		listDesc: "Template names",
		name:     func(t *client.Template) (string, bool) { return t.Name, true },
	}
}
