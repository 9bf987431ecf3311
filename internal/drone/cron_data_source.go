package drone

import (
	"context"

	"github.com/drone/drone-go/drone"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
)

var cronFields = []field[drone.Cron]{
	str("expr", "Schedule (six fields with seconds first, or a descriptor such as `@daily`).", func(c *drone.Cron) string { return c.Expr }),
	str("event", "Always `push`.", func(c *drone.Cron) string { return c.Event }),
	str("branch", "Branch to build.", func(c *drone.Cron) string { return c.Branch }),
	str("target", "Deployment target passed to the build.", func(c *drone.Cron) string { return c.Target }),
	boolean("disabled", "Whether the job is paused.", func(c *drone.Cron) bool { return c.Disabled }),
}

// cronLookup reads a cron job into the resource's model.
var cronLookup = &lookup[cronModel]{
	API:       droneAPI,
	Name:      "cron",
	Available: (*conn).needCrons,
	Schema: lookupSchema("A cron job of a Drone repository. Needs Drone 1.0 or later (Drone 0.8 has no cron API).",
		"`owner/repo/name`, with the name as Drone stores it.", attributes(cronFields),
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

func newCronsDataSource() datasource.DataSource {
	return &namesDataSource[drone.Cron]{
		dataSourceBase: dataSourceBase{
			typeName: "_crons",
			desc:     "The names of the cron jobs of a Drone repository. Needs Drone 1.0 or later.",
			inputs:   []input{repositoryInput()},
			requires: (*conn).needCrons,
		},
		list: func(ctx context.Context, c *conn, in []string) ([]drone.Cron, error) {
			owner, name := splitSlug(in[0])
			return c.Crons.List(ctx, owner, name)
		},
		attr:     "names",
		listDesc: "Job names, as Drone stores them",
		name:     func(c *drone.Cron) (string, bool) { return c.Name, true },
	}
}
