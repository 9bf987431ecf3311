package galaxias

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
)

// galaxias_project by name; its state has the attributes of the resource.
var projectLookup = &lookup[projectModel]{
	API:  galaxiasAPI,
	Name: "project",
	Schema: schema.Schema{
		MarkdownDescription: "An existing Galaxias project, found by its name. Fails when no project has the name.",
		Attributes: map[string]schema.Attribute{
			"name":        dsKey("Project name.", anyName()),
			"id":          dsID("The project's id."),
			"description": dsDescription(),
		},
	},
	Read: func(ctx context.Context, o request, m *projectModel) error {
		c := o.Client
		name := m.Name.ValueString()
		projects, err := c.ListProjects(ctx, name)
		if err != nil {
			return err
		}
		p, err := onlyMatch(projects, fmt.Sprintf("project named %q", name), func(p *client.Project) bool { return p.Name == name })
		if err != nil {
			return err
		}
		m.fromAPI(p)
		return nil
	},
}
