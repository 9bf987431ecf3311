package drone

import (
	"context"

	"github.com/drone/drone-go/drone"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
)

// cronLookup reads a cron job into the resource's model.
var cronLookup = &lookup[cronModel]{
	API:       droneAPI,
	Name:      "cron",
	Available: (*conn).needCrons,
	Schema: lookupSchema("A cron job of a Drone repository. Needs Drone 1.0 or later (Drone 0.8 has no cron API).",
		"`owner/repo/name`, with the name as Drone stores it.", map[string]schema.Attribute{
			"expr":     computedString("Schedule (six fields with seconds first, or a descriptor such as `@daily`)."),
			"event":    computedString("Always `push`."),
			"branch":   computedString("Branch to build."),
			"target":   computedString("Deployment target passed to the build."),
			"disabled": computedBool("Whether the job is paused."),
		},
		repositoryInput(), nameInput("name", "Job name; Drone stores names slugified, and "+
			"either spelling finds the job (`Nightly Build` or `nightly-build`).")),
	Read: func(ctx context.Context, o request, m *cronModel) error {
		owner, name := m.repo()
		out, err := o.Client.Crons.Get(ctx, owner, name, CronSlug(m.Name.ValueString()))
		if err != nil {
			return err
		}
		m.fromAPI(out)
		return nil
	},
}

var cronsLookup = &lookup[repositoryNamesModel]{
	API:       droneAPI,
	Name:      "crons",
	Available: (*conn).needCrons,
	Schema: namesSchema("The names of the cron jobs of a Drone repository. Needs Drone 1.0 or later.",
		"The repository.", "names", "Job names, as Drone stores them", repositoryInput()),
	Read: func(ctx context.Context, o request, m *repositoryNamesModel) error {
		owner, name := splitSlug(m.Repository.ValueString())
		list, err := o.Client.Crons.List(ctx, owner, name)
		if err != nil {
			return err
		}
		m.ID, m.Names = m.Repository, sortedNames(list, func(c *drone.Cron) (string, bool) { return c.Name, true })
		return nil
	},
}
