package client

import (
	"encoding/json"
	"testing"
	"time"
)

func TestTimeFormats(t *testing.T) {
	for in, want := range map[string]struct {
		at    time.Time
		zoned bool
	}{
		`"2019-05-23T18:55:38+08:00"`: {time.Date(2019, 5, 23, 10, 55, 38, 0, time.UTC), true},
		`"2026-12-01 19:38:51"`:       {time.Date(2026, 12, 1, 19, 38, 51, 0, time.UTC), false},
		`"2026-12-01T19:38:51"`:       {time.Date(2026, 12, 1, 19, 38, 51, 0, time.UTC), false},
		`"2026-12-01T19:38:51.25Z"`:   {time.Date(2026, 12, 1, 19, 38, 51, 250000000, time.UTC), true},
		`null`:                        {},
		`""`:                          {},
	} {
		var tm Time
		if err := json.Unmarshal([]byte(in), &tm); err != nil || !tm.Equal(want.at) || tm.Zoned != want.zoned {
			t.Errorf("%s: got %v zoned=%v (%v), want %v zoned=%v", in, tm.Time, tm.Zoned, err, want.at, want.zoned)
		}
	}
	for _, bad := range []string{`"yesterday"`, `5`, `"2026-12-01 25:00:00"`} {
		var tm Time
		if err := json.Unmarshal([]byte(bad), &tm); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
	var p Project
	if err := json.Unmarshal([]byte(`{"id":3,"name":"p","created_at":"2026-12-01 19:38:51","updated_at":"2026-12-02 03:38:51"}`), &p); err != nil ||
		p.ID != 3 || p.UpdatedAt.String() != "2026-12-02 03:38:51" {
		t.Fatalf("a record with offset-less times: %+v %v", p, err)
	}
}

func TestTokenExpiry(t *testing.T) {
	// {"exp":1700000000}
	if got := tokenExpiry("eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjE3MDAwMDAwMDB9.c2ln"); !got.Equal(time.Unix(1700000000, 0)) {
		t.Fatalf("exp: %v", got)
	}
	for _, tok := range []string{"", "opaque", "a.b.c", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln"} { // no exp
		if got := tokenExpiry(tok); !got.IsZero() {
			t.Fatalf("%q: %v", tok, got)
		}
	}
}

func TestPermanentAnswerRule(t *testing.T) {
	for _, tc := range []struct {
		status int
		body   string
		want   bool
	}{
		{500, `{"error":[{}],"error_code":5000001,"switch":"default"}`, true},
		{500, `{"error":"render","error_code":50000006}`, true},
		{500, ` {"error":"x","error_code":"40000002"} `, true},
		{500, `{"error":"internal server error","error_code":50000001}`, false},
		{500, `{"error":"Mysql Error","error_code":50000002}`, false},
		{500, `{"error":"injected fault","error_code":50000099}`, false},
		{500, `{"error":"no code"}`, false},
		{500, `{"error_code":0}`, false},
		{500, `runtime error`, false},
		{500, ``, false},
		{502, `{"error":"x","error_code":50200001}`, false},
		{503, `{"error":"x","error_code":50300001}`, false},
		{504, ``, false},
		{429, `{"error":"x","error_code":42900001}`, false},
	} {
		if got := PermanentAnswer(tc.status, nil, []byte(tc.body)); got != tc.want {
			t.Errorf("%d %s: %v, want %v", tc.status, tc.body, got, tc.want)
		}
	}
}
