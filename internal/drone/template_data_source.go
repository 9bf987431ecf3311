package drone

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/galaxias/terraform-provider-galaxias/internal/drone/client"
)

// templateLookup reads a template into the resource's model.
var templateLookup = &lookup[templateModel]{
	API:       droneAPI,
	Name:      "template",
	Available: (*conn).needTemplates,
	Schema: lookupSchema("A pipeline template of a namespace (Drone "+templatesSince+" or later).", "`namespace/name`.",
		map[string]schema.Attribute{"data": computedString("Template content.")},
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

var templatesLookup = &lookup[namespaceNamesModel]{
	API:       droneAPI,
	Name:      "templates",
	Available: (*conn).needTemplates,
	Schema: namesSchema("The names of the pipeline templates of a namespace (Drone "+templatesSince+" or later).",
		"The namespace.", "names", "Template names", namespaceInput()),
	Read: func(ctx context.Context, o request, m *namespaceNamesModel) error {
		list, err := o.Client.Templates.List(ctx, m.Namespace.ValueString())
		if err != nil {
			return err
		}
		m.ID = types.StringValue(m.Namespace.ValueString())
		m.Names = sortedNames(list, func(t *client.Template) (string, bool) { return t.Name, true })
		return nil
	},
}
