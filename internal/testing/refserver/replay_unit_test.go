package refserver_test

import (
	"encoding/json"
	"strings"
	"testing"
)

// Tests of the conformance replay's own machinery: that it can fail.

func decoded(t *testing.T, s string) any {
	t.Helper()
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestReplayCompare(t *testing.T) {
	js := func(status int, body string) replayAnswer {
		return replayAnswer{status: status, kind: "json", body: decoded(t, body)}
	}
	for _, c := range []struct {
		name     string
		rec, got replayAnswer
		want     string
	}{
		{"values differ, shape equal", js(200, `{"id":1,"name":"a","items":[{"x":1}]}`), js(200, `{"id":7,"name":"b","items":[{"x":9},{"x":3}]}`), ""},
		{"empty list against a full one", js(200, `{"items":[{"x":1}]}`), js(200, `{"items":[]}`), ""},
		{"status", js(201, `{}`), js(200, `{}`), "status 200 (recorded 201)"},
		{"error_code", js(400, `{"error":"x","error_code":40000024}`), js(400, `{"error":"x","error_code":40000018}`), "error_code 40000018 (recorded 40000024)"},
		{"missing and extra keys", js(200, `{"a":1,"b":2}`), js(200, `{"a":1,"c":2}`), "$ lacks b; $ has extra c"},
		{"type", js(500, `{"error":[{}]}`), js(500, `{"error":{}}`), "$.error is object (recorded array)"},
		{"list items", js(200, `{"items":[{"a":1}]}`), js(200, `{"items":[{"a":"1"}]}`), "$.items[].a is string (recorded number)"},
		{"bare string against text", js(401, `"denied"`), replayAnswer{status: 401, kind: "text", body: "denied"}, "body text (recorded json string)"},
		{"empty against json", replayAnswer{status: 204, kind: "empty", body: ""}, js(204, `{}`), "body json (recorded empty)"},
	} {
		if got := compare(c.rec, c.got); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

func TestReplayJudge(t *testing.T) {
	got := replayAnswer{status: 404, kind: "json", body: decoded(t, `{"error":"x","error_code":40400014}`)}
	acc := acceptedDiff{status: 404, code: "40400014", diff: "status 404 (recorded 201)", reason: "why"}
	if p := judge(acc, true, got, "status 404 (recorded 201)"); p != "" {
		t.Errorf("matching accepted difference: %q", p)
	}
	if p := judge(acceptedDiff{}, false, got, ""); p != "" {
		t.Errorf("no difference: %q", p)
	}
	for name, p := range map[string]string{
		"stale":        judge(acc, true, got, ""),
		"not accepted": judge(acceptedDiff{}, false, got, "status 404 (recorded 201)"),
		"other status": judge(acceptedDiff{status: 500, code: "40400014", diff: acc.diff}, true, got, acc.diff),
		"other code":   judge(acceptedDiff{status: 404, code: "40400011", diff: acc.diff}, true, got, acc.diff),
		"other diff":   judge(acc, true, got, "status 404 (recorded 200)"),
	} {
		if p == "" {
			t.Errorf("%s: not reported", name)
		}
	}
}

func TestReplayIDs(t *testing.T) {
	m := idMap{}
	m.learn("projects", decoded(t, `{"id":242,"name":"p"}`), decoded(t, `{"id":3,"name":"p"}`))
	// list items pair by signature, never by position
	m.learn("apps", decoded(t, `{"items":[{"id":9,"name":"qa"},{"id":24,"name":"a","project_id":242}]}`),
		decoded(t, `{"items":[{"id":5,"name":"a","project_id":3}]}`))
	if got := m.mapPath("/v1/projects/242/apps?page_num=1&page_size=10"); got != "/v1/projects/3/apps?page_num=1&page_size=10" {
		t.Errorf("path: %s", got)
	}
	if got := m.mapPath("/v1/apps?id=242&page_num=1"); got != "/v1/apps?id=3&page_num=1" {
		t.Errorf("query: %s", got)
	}
	if got := m.mapPath("/v1/apps/24/config?pe_id=999999"); got != "/v1/apps/5/config?pe_id=999999" {
		t.Errorf("unmapped ids pass through: %s", got)
	}
	if got := m.mapPath("/v1/apps/9"); got != "/v1/apps/9" {
		t.Errorf("an item paired by position: %s", got)
	}
	body := map[string]any{"project_id": json.Number("242"), "name": "x"}
	m.mapBody(body)
	if body["project_id"] != json.Number("3") {
		t.Errorf("body: %v", body)
	}
}
