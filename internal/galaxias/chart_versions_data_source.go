package galaxias

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/Masterminds/semver/v3"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/tfx"
)

type chartVersionsModel struct {
	AppID    types.Int64  `tfsdk:"app_id"`
	Branch   types.String `tfsdk:"branch"`
	Versions types.List   `tfsdk:"versions"`
	Latest   types.String `tfsdk:"latest"`
}

var chartVersionsLookup = &lookup[chartVersionsModel]{
	API:  galaxiasAPI,
	Name: "chart_versions",
	Schema: schema.Schema{
		MarkdownDescription: "The versions of an app's Helm chart uploaded to Galaxias (the charts named like the " +
			"app), in SemVer order, optionally only those a CI pipeline built from one branch. Pipelines name " +
			"versions `${APP_VERSION}-${BRANCH}-${SHA6}`, e.g. `1.0.0-master-fe380d`.\n\n" +
			"Builds of the same `APP_VERSION` and branch differ only by the commit hash, so SemVer orders them " +
			"by that hash, not by build time: give every build its own `APP_VERSION` for `latest` to be the newest build.",
		Attributes: map[string]schema.Attribute{
			"app_id": dsRef("Id of the app."),
			"branch": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Keep only the versions `<MAJOR.MINOR.PATCH>-<branch>-<6 hex digits>` (build metadata `+...` allowed): " +
					"the pre-release must be exactly the branch followed by `-` and a 6-digit hexadecimal commit hash, " +
					"so `feature-x` keeps `1.0.0-feature-x-aa11bb` and `x` does not. The branch must be usable in a " +
					"SemVer pre-release: ASCII letters, digits, `-` and `.` (no `_` or `/`). Unset: all versions.",
				Validators: []validator.String{branchValidator()},
			},
			"versions": schema.ListAttribute{
				Computed: true, ElementType: types.StringType,
				MarkdownDescription: "The chart versions, ascending by SemVer precedence (pre-releases before their " +
					"release; versions equal but for build metadata ordered as strings). Empty when there are none. " +
					"Versions that are not SemVer, which Galaxias refuses on upload, are left out.",
			},
			"latest": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "The highest version, the last of `versions`; null (not an empty string) when " +
					"there are none, so that using it where a version is required fails at plan time.",
			},
		},
	},
	Read: func(ctx context.Context, o request, m *chartVersionsModel) error {
		c := o.Client
		charts, err := c.ListAppCharts(ctx, m.AppID.ValueInt64())
		if client.IsNotFound(err) {
			// The re-implementation passes ChartMuseum's 404 through for a
			// chart with no versions: no versions, if the app exists.
			if _, aerr := c.GetApp(ctx, m.AppID.ValueInt64()); aerr != nil {
				return aerr
			}
			charts, err = nil, nil
		}
		if err != nil {
			return err
		}
		all := make([]string, len(charts))
		for i, ch := range charts {
			all[i] = ch.ChartVersion
		}
		versions := sortVersions(all, m.Branch.ValueString())
		list, diags := types.ListValueFrom(ctx, types.StringType, versions)
		if diags.HasError() {
			return fmt.Errorf("chart versions: %v", diags)
		}
		m.Versions, m.Latest = list, types.StringNull()
		if len(versions) > 0 {
			m.Latest = types.StringValue(versions[len(versions)-1])
		}
		return nil
	},
}

// sortVersions returns the versions built from branch ("" for all), sorted
// ascending by SemVer precedence, ties (build metadata) broken by the
// string. Versions that are not SemVer, which Galaxias refuses on upload,
// are left out. The result is never nil.
func sortVersions(versions []string, branch string) []string {
	type parsed struct {
		s string
		v *semver.Version
	}
	keep := make([]parsed, 0, len(versions))
	for _, s := range versions {
		v, err := semver.NewVersion(s) // as lenient as Helm, which checked the upload
		if err != nil || (branch != "" && !builtFrom(v, branch)) {
			continue
		}
		keep = append(keep, parsed{s, v})
	}
	slices.SortFunc(keep, func(a, b parsed) int {
		if c := a.v.Compare(b.v); c != 0 {
			return c
		}
		return strings.Compare(a.s, b.s)
	})
	out := make([]string, len(keep))
	for i, p := range keep {
		out[i] = p.s
	}
	return out
}

// builtFrom reports whether the version's pre-release is exactly
// "<branch>-<6 hex digits>": the branch may itself hold '-', so it is
// everything before the last '-'.
func builtFrom(v *semver.Version, branch string) bool {
	pre := v.Prerelease()
	i := strings.LastIndexByte(pre, '-')
	return i >= 0 && pre[:i] == branch && isHex6(pre[i+1:])
}

func isHex6(s string) bool {
	if len(s) != 6 {
		return false
	}
	for _, r := range s {
		if !strings.ContainsRune("0123456789abcdefABCDEF", r) {
			return false
		}
	}
	return true
}

// branchValidator accepts the branch names that can appear in a version
// "<x.y.z>-<branch>-<sha6>": SemVer pre-release identifiers are ASCII
// letters, digits and '-', separated by '.', never empty, and numeric ones
// have no leading zero.
func branchValidator() validator.String {
	return tfx.StringCheck("a branch name usable in a SemVer pre-release (ASCII letters, digits, '-' and '.')", checkBranch)
}

func checkBranch(b string) error {
	switch {
	case b == "":
		return errors.New("empty")
	case strings.HasSuffix(b, "."):
		return errors.New("ends with '.'")
	case strings.Contains(b, "_"):
		return errors.New("SemVer forbids '_', so no chart version can name this branch")
	}
	const sha = "abcdef"
	v, err := semver.StrictNewVersion("0.0.0-" + b + "-" + sha)
	if err != nil {
		return err
	}
	if v.Prerelease() != b+"-"+sha || v.Metadata() != "" {
		return errors.New("'+' starts SemVer build metadata")
	}
	return nil
}
