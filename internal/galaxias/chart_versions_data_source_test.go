package galaxias

import (
	"context"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestSortVersions(t *testing.T) {
	cases := []struct {
		name   string
		branch string
		in     []string
		want   []string
	}{
		{"empty", "", nil, []string{}},
		{"SemVer spec precedence example", "",
			[]string{"1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0"},
			[]string{"1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0"}},
		{"numeric parts compare as numbers", "",
			[]string{"1.10.0", "1.9.0", "1.2.0", "10.0.0", "2.0.0"},
			[]string{"1.2.0", "1.9.0", "1.10.0", "2.0.0", "10.0.0"}},
		{"pre-release before its release, after the previous release", "",
			[]string{"2.0.0", "2.0.0-master-aaaaaa", "1.9.9"},
			[]string{"1.9.9", "2.0.0-master-aaaaaa", "2.0.0"}},
		{"numeric identifiers: as numbers, and below alphanumeric ones", "",
			[]string{"1.0.0-alpha", "1.0.0-10", "1.0.0-2"},
			[]string{"1.0.0-2", "1.0.0-10", "1.0.0-alpha"}},
		{"branch builds of one app version: by branch, then by hash", "",
			[]string{"1.0.0-master-fe380d", "1.0.0-dev-aa11bb", "1.0.0-master-0a0a0a"},
			[]string{"1.0.0-dev-aa11bb", "1.0.0-master-0a0a0a", "1.0.0-master-fe380d"}},
		{"build metadata: equal precedence, then by string", "",
			[]string{"1.0.0+b", "1.0.0+a", "1.0.0", "0.1.0+z"},
			[]string{"0.1.0+z", "1.0.0", "1.0.0+a", "1.0.0+b"}},
		{"lenient forms Helm accepts keep their spelling", "",
			[]string{"v1.2.3", "1.2"},
			[]string{"1.2", "v1.2.3"}},
		{"not SemVer is left out", "",
			[]string{"latest", "", "1.0.0", "1.0.0.0"},
			[]string{"1.0.0"}},
		{"branch master", "master",
			[]string{"1.10.0-master-123abc", "1.0.0-dev-aa11bb", "1.0.0-master-fe380d", "1.9.0-master-0a0a0a", "1.0.0", "2.0.0-dev-bb22cc"},
			[]string{"1.0.0-master-fe380d", "1.9.0-master-0a0a0a", "1.10.0-master-123abc"}},
		{"branch with '-' is not confused with its last part", "feature-x",
			[]string{"1.2.0-feature-x-ccddee", "1.2.0-x-ddeeff", "1.2.0-feature-ccddee", "1.2.0-my-feature-x-ccddee"},
			[]string{"1.2.0-feature-x-ccddee"}},
		{"branch that is the last part of another", "x",
			[]string{"1.2.0-feature-x-ccddee", "1.2.0-x-ddeeff"},
			[]string{"1.2.0-x-ddeeff"}},
		{"branch that is the first part of another", "feature",
			[]string{"1.2.0-feature-x-ccddee", "1.2.0-feature-abcdef"},
			[]string{"1.2.0-feature-abcdef"}},
		{"branch with dots", "release-1.2",
			[]string{"1.0.0-release-1.2-abcdef", "1.0.0-release-1-abcdef", "1.0.0-2-abcdef"},
			[]string{"1.0.0-release-1.2-abcdef"}},
		{"numeric-looking hash and branch", "42",
			[]string{"1.0.0-42-123456", "1.0.0-142-123456", "1.0.0-42"},
			[]string{"1.0.0-42-123456"}},
		{"the hash is exactly 6 hex digits; build metadata ignored", "master",
			[]string{"1.0.0-master", "1.0.0-master-fe380", "1.0.0-master-fe380d1", "1.0.0-master-fe380g",
				"1.0.0-master-", "1.0.0-master-FE380D", "1.0.0-master-fe380d+build.5", "1.0.0-master.fe380d"},
			[]string{"1.0.0-master-FE380D", "1.0.0-master-fe380d+build.5"}},
		{"an app version with its own pre-release is not a branch build", "master",
			[]string{"1.0.0-rc.1-master-fe380d", "1.0.0-master-fe380d"},
			[]string{"1.0.0-master-fe380d"}},
		{"no version of the branch", "release",
			[]string{"1.0.0", "1.0.0-master-fe380d"},
			[]string{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for range 3 { // the order of the input does not matter
				in := slices.Clone(tc.in)
				rand.Shuffle(len(in), func(i, j int) { in[i], in[j] = in[j], in[i] })
				got := sortVersions(in, tc.branch)
				if got == nil || !slices.Equal(got, tc.want) {
					t.Fatalf("sortVersions(%q, %q) = %#v, want %#v", in, tc.branch, got, tc.want)
				}
			}
		})
	}
}

func TestCheckBranch(t *testing.T) {
	valid := []string{"master", "main", "dev", "feature-x", "release-1.2", "1.x", "v2", "a-b-c", "42", "007", "UPPER", "x.y.z"}
	invalid := map[string]string{
		"feature_x":   "'_'",
		"_":           "'_'",
		"feature/x":   "",
		"":            "empty",
		".x":          "",
		"x.":          "'.'",
		"a..b":        "",
		"01.x":        "", // a numeric identifier with a leading zero
		"a+b":         "build metadata",
		"with space":  "",
		"caf\u00e9":   "",
		"tab\tinside": "",
	}
	for _, b := range valid {
		if err := checkBranch(b); err != nil {
			t.Errorf("checkBranch(%q) = %v, want ok", b, err)
		}
	}
	for b, want := range invalid {
		err := checkBranch(b)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("checkBranch(%q) = %v, want an error containing %q", b, err, want)
		}
	}
}

// Every branch the validator accepts makes a version that the filter keeps.
func TestCheckBranchAgreesWithFilter(t *testing.T) {
	for _, b := range []string{"master", "feature-x", "release-1.2", "1.x", "42", "007", "-x"} {
		if err := checkBranch(b); err != nil {
			t.Fatalf("checkBranch(%q) = %v", b, err)
		}
		v := "1.0.0-" + b + "-abc123"
		if got := sortVersions([]string{v}, b); !slices.Equal(got, []string{v}) {
			t.Errorf("branch %q: sortVersions keeps %q, want %q", b, got, v)
		}
	}
}

func TestBranchValidator(t *testing.T) {
	run := func(v types.String) int {
		resp := &validator.StringResponse{}
		branchValidator().ValidateString(context.Background(), validator.StringRequest{Path: path.Root("branch"), ConfigValue: v}, resp)
		return resp.Diagnostics.ErrorsCount()
	}
	for v, want := range map[types.String]int{
		types.StringValue("master"):    0,
		types.StringNull():             0,
		types.StringUnknown():          0,
		types.StringValue("feature_x"): 1,
	} {
		if got := run(v); got != want {
			t.Errorf("%s: %d errors, want %d", v, got, want)
		}
	}
}
