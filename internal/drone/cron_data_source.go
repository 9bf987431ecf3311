package drone

import (
	"github.com/hashicorp/terraform-plugin-framework/datasource"
)

var cronFields = []field[cronAPI]{
	str("expr", "Schedule (six fields with seconds first, or a descriptor such as `@daily`).", func(c *cronAPI) string { return c.Expr }),
	str("event", "Always `push`.", func(c *cronAPI) string { return c.Event }),
	str("branch", "Branch to build.", func(c *cronAPI) string { return c.Branch }),
	str("target", "Deployment target passed to the build.", func(c *cronAPI) string { return c.Target }),
	boolean("disabled", "Whether the job is paused.", func(c *cronAPI) bool { return c.Disabled }),
}

func newCronDataSource() datasource.DataSource {
	return &objectDataSource[cronAPI]{
		dataSourceBase: dataSourceBase{
			typeName: "_cron",
			desc:     "A cron job of a Drone repository.",
			inputs: []input{repositoryInput(), nameInput("name", "Job name; Drone stores names slugified, and "+
				"either spelling finds the job (`Nightly Build` or `nightly-build`).")},
		},
		route:  func(in []string) string { return repoRoute(in) + Path("cron", CronSlug(in[1])) },
		fields: cronFields,
		id:     func(in []string, c *cronAPI) string { return in[0] + "/" + c.Name },
		idDesc: "`owner/repo/name`, with the name as Drone stores it.",
	}
}

func newCronsDataSource() datasource.DataSource {
	return &namesDataSource[cronAPI]{
		dataSourceBase: dataSourceBase{
			typeName: "_crons",
			desc:     "The names of the cron jobs of a Drone repository.",
			inputs:   []input{repositoryInput()},
		},
		route:    func(in []string) string { return repoRoute(in) + "/cron" },
		list:     "names",
		listDesc: "Job names, as Drone stores them",
		name:     func(c *cronAPI) (string, bool) { return c.Name, true },
	}
}
