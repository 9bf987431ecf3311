package galaxias

import (
	"strings"
	"testing"
)

// The revision changes exactly when the normalised values do.
func TestValuesRevision(t *testing.T) {
	same := [][2]string{
		{"a: 1\nb: 2\n", "b: 2\na: 1"},
		{"a: {x: 1, y: [1, 2]}", "a:\n  y:\n    - 1\n    - 2\n  x: 1  # comment\n"},
		{"", "{}"},
		{"name: \"web\"", "name: web"},
	}
	for _, c := range same {
		if ValuesRevision(c[0]) != ValuesRevision(c[1]) {
			t.Errorf("ValuesRevision(%q) != ValuesRevision(%q)", c[0], c[1])
		}
	}
	differ := [][2]string{
		{"a: 1", "a: 2"},
		{"a: [1, 2]", "a: [2, 1]"},
		{"a: 1", "a: \"1\""},
		{"a: {}", "a: null"},
		{"", "a: null"},
	}
	for _, c := range differ {
		if ValuesRevision(c[0]) == ValuesRevision(c[1]) {
			t.Errorf("ValuesRevision(%q) == ValuesRevision(%q)", c[0], c[1])
		}
	}
	if r := ValuesRevision("a: 1"); len(r) != 64 || strings.Trim(r, "0123456789abcdef") != "" {
		t.Errorf("revision %q is not a hex SHA-256", r)
	}
	// Text only Galaxias can hold (edited by hand): never the revision of values.
	bad := ValuesRevision("a: [1")
	if !strings.HasPrefix(bad, "raw-") || bad == ValuesRevision("a: [1 ") {
		t.Errorf("revision of invalid YAML: %q", bad)
	}
}
