package galaxias

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestSameYAML(t *testing.T) {
	same := [][2]string{
		{"a: 1\nb: 2\n", "b: 2\na: 1"},
		{"a: {x: 1, y: [1, 2]}", "a:\n  y:\n    - 1\n    - 2\n  x: 1  # comment\n"},
		{"", "{}"},
		{"name: \"web\"", "name: web"},
		{"1: one", "\"1\": one"},
	}
	for _, c := range same {
		if !sameYAML(c[0], c[1]) {
			t.Errorf("sameYAML(%q, %q) = false", c[0], c[1])
		}
	}
	differ := [][2]string{
		{"a: 1", "a: 2"},
		{"a: [1, 2]", "a: [2, 1]"},
		{"a: 1", "a: \"1\""},
		{"a: true", "a: \"true\""},
		{"a: {}", "a: null"},
	}
	for _, c := range differ {
		if sameYAML(c[0], c[1]) {
			t.Errorf("sameYAML(%q, %q) = true", c[0], c[1])
		}
	}
}

func TestCheckValues(t *testing.T) {
	for _, ok := range []string{"", "a: 1", "image:\n  tag: v1\n", "# only a comment\n"} {
		if err := checkValues(ok); err != nil {
			t.Errorf("checkValues(%q) = %v", ok, err)
		}
	}
	for _, bad := range []string{"- a\n- b", "just a string", "a: [1, 2", "a: 1\n---\nb: 2", "a:\n\tb: 1", "key: value: other"} {
		if err := checkValues(bad); err == nil {
			t.Errorf("checkValues(%q) accepted", bad)
		}
	}
}

// FuzzNormalizeYAML: normalising never panics, and is idempotent — the
// canonical JSON is YAML whose canonical form is itself.
func FuzzNormalizeYAML(f *testing.F) {
	for _, s := range []string{"a: 1", "b: [1, {c: d}]\na: x", "", "- 1\n- 2", "? [1]\n: x", "a: .nan", "a: &x 1\nb: *x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := NormalizeYAML(s)
		if err != nil {
			return
		}
		n2, err := NormalizeYAML(n)
		if err != nil || n2 != n {
			t.Fatalf("not idempotent: %q -> %q -> %q (%v)", s, n, n2, err)
		}
		if !sameYAML(s, n) {
			t.Fatalf("sameYAML(%q, its normal form) = false", s)
		}
	})
}

func FuzzImportIDs(f *testing.F) {
	for _, s := range []string{"1", "12/34", "0", "-1", "1/2/3", "a/b", "01/2", " 1", "9223372036854775808"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var m projectModel
		if err := importNumericID(func(m *projectModel) *types.Int64 { return &m.ID })(context.Background(), request{}, s, &m); err == nil {
			if m.ID.ValueInt64() <= 0 {
				t.Fatalf("importNumericID(%q) = %v", s, m.ID)
			}
		}
		if a, b, err := parseIDPair(s, "app_id", "project_environment_id"); err == nil {
			if a <= 0 || b <= 0 {
				t.Fatalf("parseIDPair(%q) = %d, %d", s, a, b)
			}
		}
	})
}
