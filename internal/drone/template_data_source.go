package drone

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"

	"github.com/galaxias/terraform-provider-galaxias/internal/drone/client"
)

// templateLookup reads a template into the resource's model.
var templateLookup = &lookup[templateModel]{
	API:       droneAPI,
	Name:      "template",
	Available: (*conn).needTemplates,
	Schema: lookupSchema("A pipeline template of a namespace (Drone "+templatesSince+" or later).", "`namespace/name`.",
		attributes([]field[client.Template]{
			str("data", "Template content.", func(t *client.Template) string { return t.Data }),
		}),
		namespaceInput(), nameInput("name", "File name of the template, e.g. `go.yaml`.")),
	Read: func(ctx context.Context, o request, m *templateModel) error {
		out, err := o.Client.Templates.Get(ctx, m.Namespace.ValueString(), m.Name.ValueString())
		if err != nil {
			return err
		}
		m.fromAPI(out)
		return nil
	},
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
