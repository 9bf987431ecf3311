package refserver_test

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Comparison of a replayed answer with the recorded one: status,
// error_code, body kind and the shape of the body (keys at each level and
// their JSON types; values may differ).

// jsonType is the JSON type of a decoded value.
func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case string:
		return "string"
	case json.Number, float64:
		return "number"
	case bool:
		return "bool"
	}
	return fmt.Sprintf("%T", v)
}

// bodyKind is the kind of a body as the transcripts name it, with bare JSON
// strings told apart from text.
func bodyKind(kind string, body any) string {
	if kind == "json" {
		if _, ok := body.(string); ok {
			return "json string"
		}
	}
	return kind
}

// errorCode is the error_code of an object body, or nil.
func errorCode(body any) any {
	if o, ok := body.(map[string]any); ok {
		if c, ok := o["error_code"]; ok {
			return fmt.Sprint(c)
		}
	}
	return nil
}

// compare lists the differences between a recorded and a replayed answer,
// in a stable order ("" when there are none).
func compare(rec, got replayAnswer) string {
	var diffs []string
	if rec.status != got.status {
		diffs = append(diffs, fmt.Sprintf("status %d (recorded %d)", got.status, rec.status))
	}
	if rc, gc := errorCode(rec.body), errorCode(got.body); rc != gc {
		diffs = append(diffs, fmt.Sprintf("error_code %v (recorded %v)", orNone(gc), orNone(rc)))
	}
	rk, gk := bodyKind(rec.kind, rec.body), bodyKind(got.kind, got.body)
	if rk != gk {
		diffs = append(diffs, fmt.Sprintf("body %s (recorded %s)", gk, rk))
	} else if rk == "json" {
		diffs = append(diffs, shapeDiff("$", rec.body, got.body)...)
	}
	return strings.Join(diffs, "; ")
}

func orNone(v any) any {
	if v == nil {
		return "none"
	}
	return v
}

// shapeDiff compares keys and types below at. Arrays compare their first
// elements when both are non-empty (an empty list against a full one is not
// a difference: the recording database held other rows).
func shapeDiff(at string, rec, got any) []string {
	rt, gt := jsonType(rec), jsonType(got)
	if rt != gt {
		return []string{fmt.Sprintf("%s is %s (recorded %s)", at, gt, rt)}
	}
	var diffs []string
	switch r := rec.(type) {
	case map[string]any:
		g := got.(map[string]any)
		var missing, extra []string
		for k := range r {
			if _, ok := g[k]; !ok {
				missing = append(missing, k)
			}
		}
		for k := range g {
			if _, ok := r[k]; !ok {
				extra = append(extra, k)
			}
		}
		sort.Strings(missing)
		sort.Strings(extra)
		if len(missing) > 0 {
			diffs = append(diffs, fmt.Sprintf("%s lacks %s", at, strings.Join(missing, ",")))
		}
		if len(extra) > 0 {
			diffs = append(diffs, fmt.Sprintf("%s has extra %s", at, strings.Join(extra, ",")))
		}
		keys := make([]string, 0, len(r))
		for k := range r {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if gv, ok := g[k]; ok {
				diffs = append(diffs, shapeDiff(at+"."+k, r[k], gv)...)
			}
		}
	case []any:
		g := got.([]any)
		if len(r) > 0 && len(g) > 0 {
			diffs = append(diffs, shapeDiff(at+"[]", r[0], g[0])...)
		}
	}
	return diffs
}
