package tfx

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestSplitID(t *testing.T) {
	good := map[string][]string{
		"a/b/c":            {"a", "b", "c"},
		"owner/repo/x.y_z": {"owner", "repo", "x.y_z"},
	}
	for id, want := range good {
		got, err := SplitID(id, "owner", "repo", "name")
		if err != nil || strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("SplitID(%q) = %v, %v", id, got, err)
		}
	}
	for _, id := range []string{"", "a", "a/b", "a/b/c/d", "a//c", "/b/c", "a/b/", " a/b/c", "a/b /c"} {
		if got, err := SplitID(id, "owner", "repo", "name"); err == nil {
			t.Errorf("SplitID(%q) = %v, want an error", id, got)
		} else if !strings.Contains(err.Error(), "owner/repo/name") {
			t.Errorf("SplitID(%q): error %q does not show the expected form", id, err)
		}
	}
}

func FuzzSplitID(f *testing.F) {
	for _, s := range []string{"a/b/c", "a//c", "", "////", "a/b/c/d", "ä/β/ç"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		parts, err := SplitID(id, "a", "b", "c")
		if err != nil {
			return
		}
		if len(parts) != 3 || strings.Join(parts, "/") != id {
			t.Fatalf("SplitID(%q) = %q: does not rebuild the id", id, parts)
		}
		for _, p := range parts {
			if p == "" || strings.Contains(p, "/") {
				t.Fatalf("SplitID(%q): bad part %q", id, p)
			}
		}
	})
}

func runString(v validator.String, value types.String) diag.Diagnostics {
	resp := &validator.StringResponse{}
	v.ValidateString(context.Background(), validator.StringRequest{Path: path.Root("attr"), ConfigValue: value}, resp)
	return resp.Diagnostics
}

func TestValidators(t *testing.T) {
	cases := []struct {
		v     validator.String
		value string
		ok    bool
	}{
		{Duration(), "30s", true},
		{Duration(), "2m", true},
		{Duration(), "0s", false},
		{Duration(), "-5s", false},
		{Duration(), "thirty", false},
		{URL(), "http://127.0.0.1:8080", true},
		{URL(), "https://drone.example.com/", true},
		{URL(), "ftp://x", false},
		{URL(), "drone.example.com", false},
		{URL(), "http://", false},
		{URL(), "http://host:", false},
	}
	for _, c := range cases {
		d := runString(c.v, types.StringValue(c.value))
		if d.HasError() == c.ok {
			t.Errorf("%T(%q): errors=%v, want ok=%v", c.v, c.value, d, c.ok)
		}
		if d.HasError() && !strings.Contains(d.Errors()[0].Detail(), `"`+c.value+`"`) {
			t.Errorf("error for %q does not quote the value: %s", c.value, d.Errors()[0].Detail())
		}
	}
	// Unknown and null values are left for later: never a plan-time error.
	for _, v := range []validator.String{Duration(), URL()} {
		if d := runString(v, types.StringUnknown()); d.HasError() {
			t.Errorf("unknown value rejected: %v", d)
		}
		if d := runString(v, types.StringNull()); d.HasError() {
			t.Errorf("null value rejected: %v", d)
		}
	}
}

func TestHTTPSettingsOptions(t *testing.T) {
	t.Setenv("X_REQUEST_TIMEOUT", "45s")
	t.Setenv("X_MAX_RETRIES", "0")
	t.Setenv("X_INSECURE_SKIP_VERIFY", "true")
	var d diag.Diagnostics
	h := HTTPSettings{
		CACert: types.StringNull(), InsecureSkipVerify: types.BoolNull(),
		RequestTimeout: types.StringNull(), MaxRetries: types.Int64Null(),
	}.WithEnv("X")
	opts := h.Options("sub", "1.2.3", []string{"tok"}, &d)
	if opts.Timeout.String() != "45s" || opts.MaxRetries != -1 || !opts.InsecureSkipVerify {
		t.Errorf("options from env: %+v", opts)
	}
	if len(d.Warnings()) != 1 || d.HasError() {
		t.Errorf("want exactly one warning for insecure_skip_verify, got %v", d)
	}
	// An explicit value wins over the environment.
	h2 := HTTPSettings{RequestTimeout: types.StringValue("5s"), MaxRetries: types.Int64Value(2)}.WithEnv("X")
	opts = h2.Options("sub", "v", nil, &d)
	if opts.Timeout.String() != "5s" || opts.MaxRetries != 2 {
		t.Errorf("explicit values: %+v", opts)
	}
}
