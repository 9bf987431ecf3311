package drone

import (
	"context"
	"fmt"
	"slices"

	"github.com/drone/drone-go/drone"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/galaxias/terraform-provider-galaxias/internal/drone/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/tfx"
)

var repoFields = []field[drone.Repo]{
	str("id", "`owner/name`.", func(r *drone.Repo) string { return r.Slug }),
	str("configuration", "Path of the pipeline file (Drone `config_path`).", func(r *drone.Repo) string { return r.Config }),
	boolean("trusted", "Trusted repository.", func(r *drone.Repo) bool { return r.Trusted }),
	boolean("protected", "Protected repository.", func(r *drone.Repo) bool { return r.Protected }),
	str("visibility", "`public`, `private` or `internal`.", func(r *drone.Repo) string { return r.Visibility }),
	integer("timeout", "Build timeout in minutes.", func(r *drone.Repo) int64 { return r.Timeout }),
	integer("throttle", "Maximum number of concurrent builds, `0` for no limit.", func(r *drone.Repo) int64 { return r.Throttle }),
	boolean("ignore_forks", "Pull requests from forks are not built.", func(r *drone.Repo) bool { return r.IgnoreForks }),
	boolean("ignore_pulls", "Pull requests are not built.", func(r *drone.Repo) bool { return r.IgnorePulls }),
	boolean("cancel_pulls", "Pending pull-request builds are cancelled by newer commits.", func(r *drone.Repo) bool { return r.CancelPulls }),
	boolean("cancel_push", "Pending push builds are cancelled by newer commits.", func(r *drone.Repo) bool { return r.CancelPush }),
	boolean("cancel_running", "Running builds are cancelled too (Drone 2.x).", func(r *drone.Repo) bool { return r.CancelRunning }),
	str("uid", "The repository's id in the SCM.", func(r *drone.Repo) string { return r.UID }),
	str("default_branch", "Default branch.", func(r *drone.Repo) string { return r.Branch }),
	str("http_url", "Git clone URL over HTTP.", func(r *drone.Repo) string { return r.HTTPURL }),
	str("ssh_url", "Git clone URL over SSH.", func(r *drone.Repo) string { return r.SSHURL }),
	str("link", "Web page of the repository in the SCM.", func(r *drone.Repo) string { return r.Link }),
	boolean("active", "Whether the repository is enabled in Drone.", func(r *drone.Repo) bool { return r.Active }),
}

func newRepoDataSource() datasource.DataSource {
	return &objectDataSource[drone.Repo]{
		dataSourceBase: dataSourceBase{
			typeName: "_repo",
			desc: "A repository as Drone knows it, enabled or not. Reading it makes no change in Drone (no SCM " +
				"sync): a repository created in the SCM since the last sync is not found until `drone_repos` with " +
				"`sync = true`, a `drone_repo` resource or a user syncs.",
			inputs: []input{repositoryInput()},
		},
		get: func(ctx context.Context, c *conn, in []string) (*drone.Repo, error) {
			owner, name := splitSlug(in[0])
			repo, err := c.Repos.Get(ctx, owner, name)
			if client.IsNotFound(err) {
				return nil, fmt.Errorf("%w: Drone does not know %s (or the token's user %q cannot see it). Drone "+
					"learns about repositories when the user's list is synced", err, in[0], c.self.Login)
			}
			return repo, err
		},
		fields: repoFields,
	}
}

func newReposDataSource() datasource.DataSource {
	return &reposDataSource{dataSourceBase{
		typeName: "_repos",
		desc: "The repositories enabled in Drone that the token's user can see. Reading it makes no change in " +
			"Drone unless `sync = true`.",
	}}
}

type reposDataSource struct{ dataSourceBase }

func (d *reposDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = d.schema(map[string]schema.Attribute{
		"id": schema.StringAttribute{Computed: true, MarkdownDescription: "Login of the token's user."},
		"sync": schema.BoolAttribute{
			Optional: true,
			MarkdownDescription: "First ask Drone to sync the user's repository list from the SCM (a POST on Drone " +
				"1.x, a list with `flush=true` on Drone 0.8; it can take a while with many repositories), on every " +
				"read. Default `false`: the list as Drone has it.",
		},
		"repositories": schema.ListAttribute{
			Computed: true, ElementType: types.StringType,
			MarkdownDescription: "Slugs (`owner/name`) of the active repositories, sorted.",
		},
	})
}

func (d *reposDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	if d.conn == nil {
		tfx.NotConfigured(&resp.Diagnostics, "drone", "Reading data source drone_repos")
		return
	}
	var sync types.Bool
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("sync"), &sync)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if sync.ValueBool() {
		if err := d.conn.Repos.Sync(ctx); err != nil {
			tfx.APIError(&resp.Diagnostics, "sync the Drone repository list", err)
			return
		}
	}
	repos, err := d.conn.Repos.List(ctx)
	if err != nil {
		tfx.APIError(&resp.Diagnostics, "list Drone repositories", err)
		return
	}
	slugs := []string{}
	for _, r := range repos {
		slugs = append(slugs, r.Slug)
	}
	slices.Sort(slugs)
	list, diags := types.ListValueFrom(ctx, types.StringType, slugs)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), d.conn.self.Login)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("repositories"), list)...)
}
