package refserver_test

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
)

// Id mapping of the replay: recorded ids are mapped to the ids the replayed
// server answered, as answers come back, and substituted into later request
// paths, query strings and bodies. Ids never seen in an answer (records of
// earlier QA runs in the recording database, 999999, ...) pass through.

// idKey is a recorded id of one kind of record.
type idKey struct {
	kind string
	rec  int64
}

// collections are the path segments that name a kind of record; the segment
// after one is an id of that kind.
var collections = map[string]bool{
	"users": true, "roles": true, "projects": true, "project-envs": true, "clusters": true,
	"envs": true, "apps": true, "deployments": true, "instances": true,
}

// keyKinds are the JSON keys (and query parameters) that hold an id of
// another kind of record.
var keyKinds = map[string]string{
	"project_id": "projects", "cluster_id": "clusters", "env_id": "envs", "project_env_id": "project-envs",
	"pe_id": "project-envs", "app_id": "apps", "role_id": "roles", "user_id": "users", "last_deployment": "deployments",
}

// signatureKeys identify a list item well enough to pair a recorded item
// with a replayed one (lists hold other rows in the recording).
var signatureKeys = []string{"name", "namespace", "email", "chart_name", "chart_version", "cluster_name", "env_namespace"}

var userAction = regexp.MustCompile(`^/v1/users/\d+/(roles|password)$`)

// answerKind is the kind of record whose "id" an answer to path carries.
func answerKind(path string) string {
	p, _, _ := strings.Cut(path, "?")
	switch {
	case p == "/v1/auth/login" || userAction.MatchString(p):
		return "users"
	case strings.HasSuffix(p, "/config"):
		return "configs"
	}
	kind := ""
	for _, s := range strings.Split(p, "/") {
		if collections[s] {
			kind = s
		}
	}
	return kind
}

type idMap map[idKey]int64

func (m idMap) get(kind string, rec int64) int64 {
	if got, ok := m[idKey{kind, rec}]; ok {
		return got
	}
	return rec
}

// set keeps the first mapping learned of a recorded id.
func (m idMap) set(kind string, rec, got int64) {
	if _, ok := m[idKey{kind, rec}]; !ok && kind != "" {
		m[idKey{kind, rec}] = got
	}
}

func asID(v any) (int64, bool) {
	switch n := v.(type) {
	case json.Number:
		i, err := n.Int64()
		return i, err == nil
	case float64:
		return int64(n), n == float64(int64(n))
	case int64:
		return n, true
	}
	return 0, false
}

// mapPath substitutes mapped ids into a path and its query string, keeping
// everything else byte for byte.
func (m idMap) mapPath(path string) string {
	p, q, hasQuery := strings.Cut(path, "?")
	segs := strings.Split(p, "/")
	for i := 1; i < len(segs); i++ {
		if n, err := strconv.ParseInt(segs[i], 10, 64); err == nil && collections[segs[i-1]] {
			segs[i] = strconv.FormatInt(m.get(segs[i-1], n), 10)
		}
	}
	p = strings.Join(segs, "/")
	if !hasQuery {
		return p
	}
	params := strings.Split(q, "&")
	for i, kv := range params {
		k, v, ok := strings.Cut(kv, "=")
		kind := keyKinds[k]
		if k == "id" && p == "/v1/apps" {
			kind = "projects" // GET /v1/apps?id=<project id>
		}
		if n, err := strconv.ParseInt(v, 10, 64); ok && kind != "" && err == nil {
			params[i] = k + "=" + strconv.FormatInt(m.get(kind, n), 10)
		}
	}
	return p + "?" + strings.Join(params, "&")
}

// mapBody substitutes mapped ids into the *_id fields of a request body.
func (m idMap) mapBody(body map[string]any) {
	for k, v := range body {
		if kind := keyKinds[k]; kind != "" {
			if n, ok := asID(v); ok {
				body[k] = json.Number(strconv.FormatInt(m.get(kind, n), 10))
			}
		}
	}
}

// learn walks a recorded and a replayed answer side by side and maps the
// ids it finds at the same places: "id" of the answer's kind, *_id keys of
// theirs. List items are paired by their signature (see signatureKeys).
func (m idMap) learn(kind string, rec, got any) {
	switch r := rec.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return
		}
		for k, rv := range r {
			gv, present := g[k]
			if !present {
				continue
			}
			rn, rok := asID(rv)
			gn, gok := asID(gv)
			switch {
			case k == "id" && rok && gok:
				m.set(kind, rn, gn)
			case keyKinds[k] != "" && rok && gok:
				m.set(keyKinds[k], rn, gn)
			default:
				m.learn(kind, rv, gv)
			}
		}
	case []any:
		g, ok := got.([]any)
		if !ok {
			return
		}
		recSig, gotSig := signatures(r), signatures(g)
		for sig, ri := range recSig {
			if gi, ok := gotSig[sig]; ok && ri >= 0 && gi >= 0 {
				m.learn(kind, r[ri], g[gi])
			}
		}
	}
}

// signatures indexes the object items of a list by signature; -1 marks a
// signature that is not unique (or empty).
func signatures(items []any) map[string]int {
	out := map[string]int{}
	for i, it := range items {
		o, ok := it.(map[string]any)
		if !ok {
			continue
		}
		var parts []string
		for _, k := range signatureKeys {
			if s, ok := o[k].(string); ok {
				parts = append(parts, k+"="+s)
			}
		}
		sig := strings.Join(parts, "\x00")
		if _, dup := out[sig]; dup || sig == "" {
			out[sig] = -1
			continue
		}
		out[sig] = i
	}
	return out
}
