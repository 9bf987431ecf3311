package tfx

import (
	"fmt"
	"strings"
)

// SplitID splits an import id into exactly len(parts) non-empty segments
// separated by "/". parts names the segments for the error message, e.g.
// SplitID("a/b/c", "owner", "repo", "name").
func SplitID(id string, parts ...string) ([]string, error) {
	segs := strings.Split(id, "/")
	if len(segs) != len(parts) {
		return nil, fmt.Errorf("import id %q must have the form %s", id, strings.Join(parts, "/"))
	}
	for i, s := range segs {
		if s == "" || strings.TrimSpace(s) != s {
			return nil, fmt.Errorf("import id %q must have the form %s: %s is empty or has spaces",
				id, strings.Join(parts, "/"), parts[i])
		}
	}
	return segs, nil
}
