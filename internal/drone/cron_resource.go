package drone

import (
	"context"
	"fmt"
	"strings"

	"github.com/drone/drone-go/drone"
	"github.com/gosimple/slug"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/robfig/cron"

	"github.com/galaxias/terraform-provider-galaxias/internal/tfx"
)

// CronSlug is the name Drone stores for a cron job name: Drone slugifies
// names on creation (gosimple/slug, the library and version Drone 1.10 uses),
// so "Nightly Build" becomes "nightly-build".
func CronSlug(name string) string { return slug.Make(name) }

// ParseCron checks a cron expression with the parser Drone's server uses
// (robfig/cron's default parser at the revision Drone 1.10 pins: seconds
// first, day of week optional, @descriptors and "@every <duration>").
func ParseCron(expr string) error {
	_, err := cron.Parse(expr)
	return err
}

// cronResource: import with owner/repo/name.
var cronResource = &crud[cronModel]{
	API:        droneAPI,
	Name:       "cron",
	Schema:     cronSchema(),
	Label:      (*cronModel).label,
	Identified: (*cronModel).identified,
	Available:  (*conn).needCrons,
	Import:     importSlugName(func(m *cronModel) (id, repository, name *types.String) { return &m.ID, &m.Repository, &m.Name }),
	Identity:   tfx.Identity{"id"},
	// Create creates the job (on the repository's default branch when
	// branch is not set), then sends what Drone's create ignores (target,
	// disabled).
	Create: func(ctx context.Context, o request, m *cronModel) error {
		c := o.Client
		owner, name := m.repo()
		if m.Branch.IsUnknown() || m.Branch.ValueString() == "" {
			repo, err := c.Repos.Get(ctx, owner, name)
			if err != nil {
				return notSent{fmt.Errorf("finding the default branch of %s (branch is not set): %w", m.Repository.ValueString(), err)}
			}
			if repo.Branch == "" {
				return notSent{fmt.Errorf("drone reports no default branch for %s: set branch", m.Repository.ValueString())}
			}
			m.Branch = types.StringValue(repo.Branch)
		}
		out, err := c.Crons.Create(ctx, owner, name, drone.Cron{Name: m.Name.ValueString(), Expr: m.Expr.ValueString(), Branch: m.Branch.ValueString()})
		if err != nil || (m.Target.ValueString() == "" && !m.Disabled.ValueBool()) {
			return created(m, out, err)
		}
		patched, err := c.Crons.Update(ctx, owner, name, out.Name, m.toAPI())
		if err != nil {
			return created(m, out, err)
		}
		return created(m, patched, nil)
	},
	Read: func(ctx context.Context, o request, m *cronModel) error {
		owner, name := m.repo()
		out, err := o.Client.Crons.Get(ctx, owner, name, CronSlug(m.Name.ValueString()))
		return got(m, out, err)
	},
	Update: func(ctx context.Context, o request, m, _ *cronModel) error {
		owner, name := m.repo()
		out, err := o.Client.Crons.Update(ctx, owner, name, CronSlug(m.Name.ValueString()), m.toAPI())
		return got(m, out, err)
	},
	Delete: func(ctx context.Context, o request, m *cronModel) error {
		owner, name := m.repo()
		return o.Client.Crons.Delete(ctx, owner, name, CronSlug(m.Name.ValueString()))
	},
}

type cronModel struct {
	ID         types.String `tfsdk:"id"`
	Repository types.String `tfsdk:"repository"`
	Name       types.String `tfsdk:"name"`
	Expr       types.String `tfsdk:"expr"`
	Event      types.String `tfsdk:"event"`
	Branch     types.String `tfsdk:"branch"`
	Target     types.String `tfsdk:"target"`
	Disabled   types.Bool   `tfsdk:"disabled"`
}

func (m *cronModel) repo() (owner, name string) { return splitSlug(m.Repository.ValueString()) }

func (m *cronModel) label() string {
	return `Drone cron job "` + CronSlug(m.Name.ValueString()) + `" of ` + m.Repository.ValueString()
}

func (m *cronModel) identified() bool {
	owner, name := m.repo()
	return m.ID.ValueString() != "" && owner != "" && name != "" && CronSlug(m.Name.ValueString()) != ""
}

// toAPI is everything Drone's cron update accepts, false and empty values
// included.
func (m *cronModel) toAPI() drone.CronPatch {
	return drone.CronPatch{Branch: m.Branch.ValueStringPointer(), Target: m.Target.ValueStringPointer(), Disabled: m.Disabled.ValueBoolPointer()}
}

func (m *cronModel) planned() *drone.Cron {
	return &drone.Cron{Name: CronSlug(m.Name.ValueString()), Expr: m.Expr.ValueString(), Event: "push",
		Branch: m.Branch.ValueString(), Target: m.Target.ValueString(), Disabled: m.Disabled.ValueBool()}
}

func (m *cronModel) fromAPI(out *drone.Cron) {
	// Keep the configured spelling of a name that Drone stores slugified.
	if CronSlug(m.Name.ValueString()) != out.Name {
		m.Name = types.StringValue(out.Name)
	}
	m.Expr = types.StringValue(out.Expr)
	m.Event = types.StringValue(out.Event)
	m.Branch = types.StringValue(out.Branch)
	m.Target = types.StringValue(out.Target)
	m.Disabled = types.BoolValue(out.Disabled)
	m.ID = types.StringValue(m.Repository.ValueString() + "/" + out.Name)
}

func cronSchema() schema.Schema {
	return schema.Schema{
		MarkdownDescription: "A cron job of a Drone repository: Drone starts a build of `branch` on the " +
			"schedule `expr`. `branch`, `target` and `disabled` change in place; a new `name` or `expr` replaces " +
			"the job (Drone cannot change them). Needs Drone 1.0 or later: on Drone 0.8, which has no cron API, " +
			"the resource is a plan-time error.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed: true, MarkdownDescription: "`owner/repo/name`, with the name as Drone stores it.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"repository": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Repository slug `owner/name`. Changing it replaces the job.",
				Validators:          []validator.String{tfx.Regex(RepoSlug, "owner/name (letters, digits, '.', '_' and '-')")},
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"name": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "Job name. Drone stores names slugified (`Nightly Build` becomes `nightly-build`); " +
					"the provider compares names the same way, so both spellings work without a diff. The name must " +
					"contain at least one letter or digit. Changing it (other than in spelling) replaces the job.",
				Validators:    []validator.String{tfx.StringCheck("a name with at least one letter or digit", checkCronName)},
				PlanModifiers: []planmodifier.String{replaceWhenCronRenamed()},
			},
			"expr": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "Schedule, checked at plan time with the parser Drone itself uses: six fields " +
					"**with seconds first** (`0 0 2 * * *` is every day at 02:00:00, `0 */15 * * * *` every quarter " +
					"hour; the day-of-week field may be left out), or a descriptor: `@hourly`, `@daily` (`@midnight`), " +
					"`@weekly`, `@monthly`, `@yearly` (`@annually`), `@every 2h30m`. Times are in the Drone server's " +
					"time zone; Drone checks schedules about once an hour by default, so a job runs at the first check " +
					"after its time. Changing it replaces the job.",
				Validators:    []validator.String{cronExprValidator{}},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"branch": schema.StringAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "Branch to build. When unset, the repository's default branch at creation " +
					"(as mavimo/drone did), shown in state.",
				Validators:    []validator.String{stringvalidator.LengthAtLeast(1)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"target": schema.StringAttribute{
				Optional: true, Computed: true, Default: stringdefault.StaticString(""),
				MarkdownDescription: "Deployment target passed to the build (`DRONE_DEPLOY_TO`). Default empty.",
			},
			"disabled": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(false),
				MarkdownDescription: "Pause the job without deleting it. Default `false`.",
			},
			"event": schema.StringAttribute{
				Optional: true, Computed: true, Default: stringdefault.StaticString("push"),
				MarkdownDescription: "Always `push`: Drone forces it. Accepted so that configurations written for " +
					"mavimo/drone (where it was required) keep working.",
				DeprecationMessage: "Drone always uses event \"push\" for cron jobs; remove the event argument.",
				Validators:         []validator.String{stringvalidator.OneOf("push")},
			},
		},
	}
}

func checkCronName(v string) error {
	if CronSlug(v) == "" {
		return fmt.Errorf("drone would store it as an empty name")
	}
	return nil
}

// cronExprValidator rejects, at plan time, what Drone's parser rejects, and
// warns about five-field expressions: Drone reads the first field as seconds.
type cronExprValidator struct{}

func (cronExprValidator) Description(context.Context) string {
	return "must be a cron expression Drone accepts (six fields with seconds, or @hourly..@yearly)"
}

func (v cronExprValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (cronExprValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	expr := req.ConfigValue.ValueString()
	if err := ParseCron(expr); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid cron expression",
			fmt.Sprintf("Drone does not accept the cron expression %q: %v. Drone expects six fields with seconds "+
				"first, e.g. \"0 0 2 * * *\" for 02:00 every day, or one of @hourly, @daily, @weekly, @monthly, "+
				"@yearly, @every <duration>.", expr, err))
		return
	}
	if !strings.HasPrefix(expr, "@") && len(strings.Fields(expr)) == 5 {
		f := strings.Fields(expr)
		resp.Diagnostics.AddAttributeWarning(req.Path, "Cron expression read with seconds first",
			fmt.Sprintf("Drone reads %q as second=%s minute=%s hour=%s day-of-month=%s month=%s: its first field is "+
				"seconds, not minutes as in crontab. For the crontab meaning write %q.",
				expr, f[0], f[1], f[2], f[3], f[4], "0 "+expr))
	}
}
