package refserver

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
)

// Reading and checking the values of a request for the generic handlers
// (crud.go).

// readFields decodes the body into column values. On create, required fields
// must be present; on update only mutable fields are taken.
func readFields(r *http.Request, sp *spec, create bool) (map[string]any, error) {
	var body map[string]json.RawMessage
	if err := decode(r, &body); err != nil {
		return nil, err
	}
	vals := map[string]any{}
	for _, f := range sp.fields {
		raw, ok := body[f.name]
		if !create && !f.mutable {
			continue
		}
		if !ok || string(raw) == "null" {
			if create && f.required {
				return nil, errf(400, codeInvalid, "field %q is required", f.name)
			}
			continue
		}
		var v any
		var err error
		switch f.kind {
		case kString:
			var s string
			err = json.Unmarshal(raw, &s)
			if err == nil && f.required && strings.TrimSpace(s) == "" {
				err = fmt.Errorf("must not be empty")
			}
			if err == nil && f.check != nil {
				err = f.check(s)
			}
			v = s
		case kInt:
			var n int64
			err = json.Unmarshal(raw, &n)
			v = n
		case kID:
			var id flexID
			err = json.Unmarshal(raw, &id)
			if err == nil && id <= 0 {
				err = fmt.Errorf("must be a positive id")
			}
			v = int64(id)
		}
		if err != nil {
			return nil, errf(400, codeInvalid, "field %q: %v", f.name, err)
		}
		vals[f.name] = v
	}
	return vals, nil
}

// checkRefs answers 404 when a referenced row does not exist.
func checkRefs(ctx context.Context, tx *sql.Tx, sp *spec, vals map[string]any) error {
	for _, f := range sp.fields {
		if f.ref == nil || vals[f.name] == nil {
			continue
		}
		if _, err := getRecord(ctx, tx, f.ref, asInt64(vals[f.name]), nil); err != nil {
			return err
		}
	}
	return nil
}

func intParam(r *http.Request, name string, def, max int) (int, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > max {
		return 0, errf(400, codeBadQuery, "query parameter %s must be an integer from 1 to %d", name, max)
	}
	return n, nil
}

var dnsLabel = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)

func checkNamespace(ns string) error {
	if len(ns) > 63 || !dnsLabel.MatchString(ns) {
		return fmt.Errorf("%q is not a valid Kubernetes namespace (lower-case letters, digits and '-', at most 63)", ns)
	}
	return nil
}
