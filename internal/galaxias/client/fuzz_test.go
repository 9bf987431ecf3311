package client

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// FuzzDecodeResponse feeds arbitrary statuses and bodies to the one decoder
// of Galaxias answers: it must never panic, a non-2xx answer is always an
// *APIError with the status and a message, and a 2xx answer never is.
func FuzzDecodeResponse(f *testing.F) {
	f.Add(404, []byte(`{"error":"project not found","error_code":40400003}`))
	f.Add(500, []byte(`{"error":"render failed","error_code":50000006}`))
	f.Add(502, []byte("<html>bad gateway</html>"))
	f.Add(401, []byte(``))
	f.Add(200, []byte(`{"id":1,"name":"p"}`))
	f.Add(201, []byte(`not json`))
	// the re-implementation's shapes
	f.Add(500, []byte(`{"error":[{}],"error_code":5000001,"switch":"default"}`))
	f.Add(500, []byte(`{"error":{},"error_code":5000001,"switch":"default"}`))
	f.Add(401, []byte(`"Parse token failed , token is expired"`))
	f.Add(404, []byte("404 page not found"))
	f.Add(400, []byte(`{"error":["a",{"b":1},null],"error_code":"40000018"}`))
	f.Add(412, []byte(`{"error_code":41200008}`))
	f.Add(200, []byte(`{"id":1,"name":"p","created_at":"2026-12-01 19:38:51","updated_at":"2026-12-01T19:38:51+08:00"}`))
	c := &Client{}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		if status < 100 || status > 999 {
			return
		}
		resp := &http.Response{StatusCode: status, Body: io.NopCloser(bytes.NewReader(body))}
		var out Project
		err := c.decodeResponse(resp, "GET", "/v1/projects/1", &out)
		var ae *APIError
		isAPI := errors.As(err, &ae)
		if status >= 200 && status < 300 {
			if isAPI {
				t.Fatalf("2xx answer became an APIError: %v", err)
			}
			return
		}
		if !isAPI || ae.StatusCode != status || ae.Message == "" {
			t.Fatalf("status %d body %q: got %#v", status, body, err)
		}
		if msg := ae.Error(); !strings.Contains(msg, strconv.Itoa(status)) {
			t.Fatalf("the error must name the status %d: %s", status, msg)
		}
		_ = PermanentAnswer(status, nil, body)
		if status == 404 && !IsNotFound(err) || status == 409 && !IsConflict(err) ||
			IsNotFound(err) && status != 404 && status != 400 || IsInUse(err) && status != 409 && status != 412 {
			t.Fatalf("classification wrong for %d", status)
		}
	})
}

// FuzzPage decodes list answers of both servers: the contract's envelope,
// the re-implementation's, a bare array and ChartMuseum's map. It must never
// panic, and what it decodes must be the items that were there.
func FuzzPage(f *testing.F) {
	f.Add([]byte(`{"page":1,"per_page":100,"total":1,"pages":1,"items":[{"id":1,"name":"a"}]}`))
	f.Add([]byte(`{"page_num":1,"page_size":100,"total":0,"pages":1,"items":[]}`))
	f.Add([]byte(`{"page_num":1,"per_size":10,"total":1,"pages":1,"items":[{"id":"x"}]}`))
	f.Add([]byte(`[{"name":"c","version":"1.0.0","appVersion":"1","created":"2026-12-01T19:38:51.1+08:00"}]`))
	f.Add([]byte(`{"c":[{"name":"c","version":"1.0.0"}],"d":[]}`))
	f.Add([]byte(`{"items":null}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var p listPage[Chart]
		if err := json.Unmarshal(body, &p); err != nil {
			return
		}
		if p.Bare && (p.Page != 1 || p.Pages != 1 || p.Total != len(p.Items)) {
			t.Fatalf("a bare list is one page of its items: %+v", p)
		}
		var q listPage[Project]
		_ = json.Unmarshal(body, &q)
	})
}

// FuzzTime reads times of both servers; it never panics and a time it
// accepts is zoned exactly when it had an offset.
func FuzzTime(f *testing.F) {
	for _, s := range []string{`"2019-05-23T18:55:38+08:00"`, `"2026-12-01 19:38:51"`, `"2026-12-01T19:38:51"`,
		`"2026-12-01 19:38:51.5"`, `null`, `""`, `5`, `"2026-13-01 19:38:51"`, `"2026-12-01T19:38:51Z"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var tm Time
		if err := tm.UnmarshalJSON(b); err != nil {
			return
		}
		out, err := tm.MarshalJSON()
		if err != nil {
			t.Fatalf("marshal: %v", err)
		}
		var back Time
		if err := back.UnmarshalJSON(out); err != nil || !back.Equal(tm.Time) || back.Zoned != tm.Zoned && !tm.IsZero() {
			t.Fatalf("%s -> %s -> %+v (%v), want %+v", b, out, back, err, tm)
		}
	})
}
