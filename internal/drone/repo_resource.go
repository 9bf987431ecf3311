package drone

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/drone/drone-go/drone"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64default"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/galaxias/terraform-provider-galaxias/internal/drone/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/tfx"
)

// RepoSlug matches owner/name.
var RepoSlug = regexp.MustCompile(`^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$`)

// How long Create waits for a repository to appear in Drone's list after a
// sync (a repository created in the SCM by the same apply may lag).
var repoAppearTimeout = 2 * time.Minute

// Drone's defaults for the admin-only settings.
const (
	defaultTimeout  = 60
	defaultThrottle = 0
)

// repoResource enables a repository in Drone and manages its settings; destroy
// disables it. Import with owner/name.
var repoResource = &crud[repoModel]{
	API:       droneAPI,
	Name:      "repo",
	Schema:    repoSchema(),
	Label:     func(m *repoModel) string { return `Drone repository "` + m.Repository.ValueString() + `"` },
	CheckPlan: checkRepo,
	Identified: func(m *repoModel) bool {
		owner, name := m.ownerName()
		return m.ID.ValueString() != "" && owner != "" && name != ""
	},
	Identity: tfx.Identity{"repository"},
	Import: func(_ context.Context, _ request, id string, m *repoModel) error {
		p, err := tfx.SplitID(id, "owner", "name")
		if err != nil {
			return err
		}
		slug := types.StringValue(p[0] + "/" + p[1])
		m.ID, m.Repository, m.RemoveOnDestroy = slug, slug, types.BoolValue(false)
		return nil
	},
	Create: func(ctx context.Context, o request, m *repoModel) error {
		enabled, err := enableRepo(ctx, o.Client, m)
		if err != nil {
			return err
		}
		// From here on the repository is enabled: it is saved even if the
		// settings fail (as Drone answered the enable when it cannot be
		// read again), tainted, so that the next apply replaces it.
		err = applySettings(ctx, o, m)
		if err != nil && !errors.As(err, new(*tfx.PartialError)) {
			m.fromAPI(enabled)
			return &tfx.PartialError{Err: err, Op: tfx.OpComplete}
		}
		return err
	},
	Read: func(ctx context.Context, o request, m *repoModel) error {
		owner, name := m.ownerName()
		repo, err := o.Client.Repos.Get(ctx, owner, name)
		if err != nil {
			return err
		}
		if !repo.Active {
			return tfx.ErrNoObject // disabled outside Terraform: plan to enable it again
		}
		m.fromAPI(repo)
		return nil
	},
	Update: func(ctx context.Context, o request, m, _ *repoModel) error {
		return applySettings(ctx, o, m)
	},
	Delete: func(ctx context.Context, o request, m *repoModel) error {
		owner, name := m.ownerName()
		return o.Client.Repos.Disable(ctx, owner, name, m.RemoveOnDestroy.ValueBool())
	},
}

// repoModel is drone_repo: the attributes it shares with the data source
// drone_repo (repoFields), and remove_on_destroy.
type repoModel struct {
	repoFields
	RemoveOnDestroy types.Bool `tfsdk:"remove_on_destroy"`
}

// repoFields are the attributes of a repository that the resource and the
// data source drone_repo share.
type repoFields struct {
	ID            types.String `tfsdk:"id"`
	Repository    types.String `tfsdk:"repository"`
	Configuration types.String `tfsdk:"configuration"`
	Trusted       types.Bool   `tfsdk:"trusted"`
	Protected     types.Bool   `tfsdk:"protected"`
	Visibility    types.String `tfsdk:"visibility"`
	Timeout       types.Int64  `tfsdk:"timeout"`
	Throttle      types.Int64  `tfsdk:"throttle"`
	IgnoreForks   types.Bool   `tfsdk:"ignore_forks"`
	IgnorePulls   types.Bool   `tfsdk:"ignore_pulls"`
	CancelPulls   types.Bool   `tfsdk:"cancel_pulls"`
	CancelPush    types.Bool   `tfsdk:"cancel_push"`
	CancelRunning types.Bool   `tfsdk:"cancel_running"`
	UID           types.String `tfsdk:"uid"`
	DefaultBranch types.String `tfsdk:"default_branch"`
	HTTPURL       types.String `tfsdk:"http_url"`
	SSHURL        types.String `tfsdk:"ssh_url"`
	Link          types.String `tfsdk:"link"`
	Active        types.Bool   `tfsdk:"active"`
}

func (m *repoModel) ownerName() (string, string) { return splitSlug(m.Repository.ValueString()) }

// toAPI is the settings part of the model as a Drone repository patch. The
// admin-only fields are sent only for admins: Drone ignores them otherwise.
// The 1.x-only settings are left out on servers without them (Drone 0.8),
// where the plan has them at their defaults.
func (m *repoModel) toAPI(c *conn) drone.RepoPatch {
	p := drone.RepoPatch{
		Config:    m.Configuration.ValueStringPointer(),
		Protected: m.Protected.ValueBoolPointer(),
	}
	if v := m.Visibility.ValueString(); v != "" && !m.Visibility.IsUnknown() {
		p.Visibility = &v
	}
	if c.Traits.RepoV1Settings {
		p.IgnoreForks = m.IgnoreForks.ValueBoolPointer()
		p.IgnorePulls = m.IgnorePulls.ValueBoolPointer()
		p.CancelPulls = m.CancelPulls.ValueBoolPointer()
		p.CancelPush = m.CancelPush.ValueBoolPointer()
		p.CancelRunning = m.CancelRunning.ValueBoolPointer()
	}
	if c.self.Admin {
		p.Trusted = m.Trusted.ValueBoolPointer()
		p.Timeout = m.Timeout.ValueInt64Pointer()
		if c.Traits.RepoV1Settings {
			p.Throttle = m.Throttle.ValueInt64Pointer()
		}
	}
	return p
}

// fromAPI copies what Drone returned into the model.
func (m *repoModel) fromAPI(r *drone.Repo) {
	m.repoFields.fromAPI(r)
	if m.RemoveOnDestroy.IsNull() || m.RemoveOnDestroy.IsUnknown() {
		m.RemoveOnDestroy = types.BoolValue(false)
	}
}

// fromAPI copies Drone's answer into the shared attributes.
func (m *repoFields) fromAPI(r *drone.Repo) {
	// Keep the configured spelling when it differs only in case (SCMs
	// compare slugs case-insensitively).
	if !strings.EqualFold(m.Repository.ValueString(), r.Slug) {
		m.Repository = types.StringValue(r.Slug)
	}
	m.ID = m.Repository
	m.Configuration = types.StringValue(r.Config)
	m.Trusted = types.BoolValue(r.Trusted)
	m.Protected = types.BoolValue(r.Protected)
	m.Visibility = types.StringValue(r.Visibility)
	m.Timeout = types.Int64Value(r.Timeout)
	m.Throttle = types.Int64Value(r.Throttle)
	m.IgnoreForks = types.BoolValue(r.IgnoreForks)
	m.IgnorePulls = types.BoolValue(r.IgnorePulls)
	m.CancelPulls = types.BoolValue(r.CancelPulls)
	m.CancelPush = types.BoolValue(r.CancelPush)
	m.CancelRunning = types.BoolValue(r.CancelRunning)
	m.UID = types.StringValue(r.UID)
	m.DefaultBranch = types.StringValue(r.Branch)
	m.HTTPURL = types.StringValue(r.HTTPURL)
	m.SSHURL = types.StringValue(r.SSHURL)
	m.Link = types.StringValue(r.Link)
	m.Active = types.BoolValue(r.Active)
}

func repoSchema() schema.Schema {
	optBool := func(desc string) schema.BoolAttribute {
		return schema.BoolAttribute{Optional: true, Computed: true, Default: booldefault.StaticBool(false), MarkdownDescription: desc}
	}
	const v1Only = " Drone 1.x only: on Drone 0.8 `true` is a plan-time error."
	computed := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Computed: true, MarkdownDescription: desc,
			PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}}
	}
	return schema.Schema{
		MarkdownDescription: "Activates a repository in Drone and manages its settings. Creating it syncs the " +
			"token user's repository list from the SCM, enables the repository (Drone installs its webhook in the " +
			"SCM) and applies the settings. Destroying it disables the repository; set `remove_on_destroy` to delete " +
			"Drone's record of it instead.",
		Attributes: map[string]schema.Attribute{
			"id": computed("`owner/name`, the same as `repository`."),
			"repository": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Repository slug `owner/name`, as in the SCM. Changing it replaces the resource.",
				Validators:          []validator.String{tfx.Regex(RepoSlug, "owner/name (letters, digits, '.', '_' and '-')")},
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"configuration": schema.StringAttribute{
				Optional: true, Computed: true, Default: stringdefault.StaticString(".drone.yml"),
				MarkdownDescription: "Path of the pipeline file in the repository (Drone `config_path`; `config_file` on Drone 0.8). Default `.drone.yml`.",
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"trusted": optBool("Trusted repository: pipelines may use privileged containers and host volumes (Drone " +
				"`trusted`). Only a Drone system admin can change it; with another token a non-default value is an error."),
			"protected": optBool("Protected repository: changes to the pipeline file need approval before they run " +
				"(Drone `protected`; on Drone 0.8 `gated`, every build needs approval)."),
			"visibility": schema.StringAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "`public`, `private` or `internal` (Drone `visibility`). When unset, Drone's value " +
					"(from the SCM) is kept.",
				Validators:    []validator.String{stringvalidator.OneOf("public", "private", "internal")},
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"timeout": schema.Int64Attribute{
				Optional: true, Computed: true, Default: int64default.StaticInt64(defaultTimeout),
				MarkdownDescription: "Build timeout in minutes (Drone `timeout`). Default `60`. Admin only, like `trusted`.",
				Validators:          []validator.Int64{int64validator.Between(1, 10080)},
			},
			"throttle": schema.Int64Attribute{
				Optional: true, Computed: true, Default: int64default.StaticInt64(defaultThrottle),
				MarkdownDescription: "Maximum number of concurrent builds, `0` for no limit (Drone `throttle`). Admin only, like `trusted`. " +
					"Drone 1.x only: on Drone 0.8 a value other than `0` is a plan-time error.",
				Validators: []validator.Int64{int64validator.AtLeast(0)},
			},
			"ignore_forks": optBool("Do not build pull requests opened from forks of the repository (Drone " +
				"`ignore_forks`). Pull requests from branches of the repository itself still build." + v1Only),
			"ignore_pulls": optBool("Do not build pull requests at all (Drone `ignore_pull_requests`)." + v1Only),
			"cancel_pulls": optBool("Cancel pending pull-request builds when a newer commit is pushed to the pull " +
				"request (Drone `auto_cancel_pull_requests`)." + v1Only),
			"cancel_push": optBool("Cancel pending push builds of a branch when a newer commit is pushed to it (Drone " +
				"`auto_cancel_pushes`)." + v1Only),
			"cancel_running": optBool("Also cancel running builds, not only pending ones (Drone `auto_cancel_running`; " +
				"needs Drone 2.x — Drone 1.x does not have it and setting it there is an error)." + v1Only),
			"remove_on_destroy": optBool("On destroy, delete Drone's record of the repository (build history " +
				"included) instead of only disabling it. Default `false`."),
			"uid":            computed("The repository's id in the SCM (empty on Drone 0.8, which does not report it)."),
			"default_branch": computed("Default branch, from the SCM."),
			"http_url":       computed("Git clone URL over HTTP (Drone 0.8 `clone_url`)."),
			"ssh_url":        computed("Git clone URL over SSH (empty on Drone 0.8)."),
			"link":           computed("Web page of the repository in the SCM (Drone 0.8 `link_url`)."),
			"active": schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether Drone has the repository " +
				"enabled. Always `true` in state: an inactive repository is removed from state and re-created."},
		},
	}
}

// enableRepo syncs the repository list and enables the repository,
// waiting a bounded time for a repository that the SCM has but Drone does
// not list yet. An already active repository counts as enabled (Drone 0.8
// answers 409).
func enableRepo(ctx context.Context, c *conn, m *repoModel) (*drone.Repo, error) {
	owner, name := m.ownerName()
	deadline := time.Now().Add(repoAppearTimeout)
	for attempt := 0; ; attempt++ {
		if err := c.Repos.Sync(ctx); err != nil {
			return nil, fmt.Errorf("syncing the repository list: %w", err)
		}
		repo, err := c.Repos.Enable(ctx, owner, name)
		if err == nil {
			return repo, nil
		}
		if !client.IsNotFound(err) {
			return nil, err
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("%w: after syncing for %s Drone still does not list %s/%s for user %q; check that "+
				"the repository exists in the SCM and that this user has admin rights on it", err, repoAppearTimeout,
				owner, name, c.self.Login)
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(min(time.Second<<attempt, 10*time.Second)):
		}
	}
}

// applySettings patches the settings and checks that Drone applied what
// was asked. What Drone holds is saved even when the patch fails or a
// setting was not applied, so that state matches the server.
func applySettings(ctx context.Context, o request, plan *repoModel) error {
	c := o.Client
	owner, name := plan.ownerName()
	want := *plan
	got, err := c.Repos.Update(ctx, owner, name, plan.toAPI(c))
	if err != nil {
		err = fmt.Errorf("updating its settings: %w", err)
		cur, rerr := c.Repos.Get(ctx, owner, name)
		if rerr != nil {
			return err
		}
		plan.fromAPI(cur)
		return tfx.Partial(err)
	}
	plan.fromAPI(got)
	for _, f := range []struct {
		name      string
		want, got attr.Value
	}{
		{"cancel_running", want.CancelRunning, plan.CancelRunning},
		{"trusted", want.Trusted, plan.Trusted},
		{"timeout", want.Timeout, plan.Timeout},
		{"throttle", want.Throttle, plan.Throttle},
		{"visibility", want.Visibility, plan.Visibility},
	} {
		if !f.want.IsUnknown() && !f.want.Equal(f.got) {
			o.Diags.AddAttributeError(path.Root(f.name), "Drone did not apply "+f.name,
				fmt.Sprintf("%s accepted the update of %s/%s but kept %s = %s instead of %s. This Drone server "+
					"does not support that value (cancel_running needs Drone 2.x; trusted, timeout and throttle "+
					"need a system admin token).", c.Info.Name(), owner, name, f.name, f.got, f.want))
		}
	}
	if o.Diags.HasError() {
		return tfx.Partial(tfx.ErrReported)
	}
	return nil
}
