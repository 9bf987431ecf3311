package drone

import (
	"context"
	"fmt"

	"github.com/drone/drone-go/drone"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/galaxias/terraform-provider-galaxias/internal/drone/client"
)

var repoLookup = &lookup[repoFields]{
	API:  droneAPI,
	Name: "repo",
	Schema: lookupSchema("A repository as Drone knows it, enabled or not. Reading it makes no change in Drone (no SCM "+
		"sync): a repository created in the SCM since the last sync is not found until `drone_repos` with "+
		"`sync = true`, a `drone_repo` resource or a user syncs.", "`owner/name`.", map[string]schema.Attribute{
		"configuration":  computedString("Path of the pipeline file (Drone `config_path`)."),
		"trusted":        computedBool("Trusted repository."),
		"protected":      computedBool("Protected repository."),
		"visibility":     computedString("`public`, `private` or `internal`."),
		"timeout":        computedInt64("Build timeout in minutes."),
		"throttle":       computedInt64("Maximum number of concurrent builds, `0` for no limit."),
		"ignore_forks":   computedBool("Pull requests from forks are not built."),
		"ignore_pulls":   computedBool("Pull requests are not built."),
		"cancel_pulls":   computedBool("Pending pull-request builds are cancelled by newer commits."),
		"cancel_push":    computedBool("Pending push builds are cancelled by newer commits."),
		"cancel_running": computedBool("Running builds are cancelled too (Drone 2.x)."),
		"uid":            computedString("The repository's id in the SCM."),
		"default_branch": computedString("Default branch."),
		"http_url":       computedString("Git clone URL over HTTP."),
		"ssh_url":        computedString("Git clone URL over SSH."),
		"link":           computedString("Web page of the repository in the SCM."),
		"active":         computedBool("Whether the repository is enabled in Drone."),
	}, repositoryInput()),
	Read: func(ctx context.Context, o request, m *repoFields) error {
		owner, name := splitSlug(m.Repository.ValueString())
		repo, err := o.Client.Repos.Get(ctx, owner, name)
		if client.IsNotFound(err) {
			return fmt.Errorf("%w: Drone does not know %s (or the token's user %q cannot see it). Drone "+
				"learns about repositories when the user's list is synced", err, m.Repository.ValueString(), o.Client.self.Login)
		}
		if err != nil {
			return err
		}
		configured := m.Repository
		m.fromAPI(repo)
		m.Repository, m.ID = configured, types.StringValue(repo.Slug) // the input as configured, the id as Drone has it
		return nil
	},
}

// reposModel is the list of the enabled repositories.
type reposModel struct {
	ID           types.String `tfsdk:"id"`
	Sync         types.Bool   `tfsdk:"sync"`
	Repositories []string     `tfsdk:"repositories"`
}

var reposLookup = &lookup[reposModel]{
	API:  droneAPI,
	Name: "repos",
	Schema: schema.Schema{
		MarkdownDescription: "The repositories enabled in Drone that the token's user can see. Reading it makes no change in " +
			"Drone unless `sync = true`.",
		Attributes: map[string]schema.Attribute{
			"id": computedString("Login of the token's user."),
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
		},
	},
	Read: func(ctx context.Context, o request, m *reposModel) error {
		if m.Sync.ValueBool() {
			if err := o.Client.Repos.Sync(ctx); err != nil {
				return fmt.Errorf("syncing the Drone repository list: %w", err)
			}
		}
		repos, err := o.Client.Repos.List(ctx)
		if err != nil {
			return fmt.Errorf("listing Drone repositories: %w", err)
		}
		m.ID = types.StringValue(o.Client.self.Login)
		m.Repositories = sortedNames(repos, func(r *drone.Repo) (string, bool) { return r.Slug, true })
		return nil
	},
}
