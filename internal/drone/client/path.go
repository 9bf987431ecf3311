package client

import (
	"fmt"
	"net/url"
	"strings"
)

// pathError is a request refused before it was sent: one of its path
// segments is empty (it would address another route, e.g. GET /api/repos//).
type pathError struct {
	Segments []string
}

func (e *pathError) Error() string {
	return fmt.Sprintf("refusing to call Drone at /%s: a path segment is empty (this is a bug in the provider or an "+
		"empty id in state)", strings.Join(e.Segments, "/"))
}

// Path joins escaped path segments, Path("api", "repos", o, n); an empty
// segment is an error.
func Path(segs ...string) (string, error) {
	var b strings.Builder
	for _, s := range segs {
		if s == "" {
			return "", &pathError{Segments: segs}
		}
		b.WriteByte('/')
		b.WriteString(url.PathEscape(s))
	}
	return b.String(), nil
}
