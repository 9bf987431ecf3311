package drone08

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// call sends a request to the fake with its admin token and returns the
// status, content type and body.
func call(t *testing.T, f *Server, method, path string, in any) (int, string, string) {
	t.Helper()
	var body io.Reader
	if in != nil {
		b, _ := json.Marshal(in)
		body = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, f.URL+path, body)
	req.Header.Set("Authorization", "Bearer drone08-admin-token")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.Header.Get("X-Drone-Version") != version {
		t.Errorf("%s %s: X-Drone-Version %q", method, path, resp.Header.Get("X-Drone-Version"))
	}
	return resp.StatusCode, resp.Header.Get("Content-Type"), string(b)
}

func TestQuirks(t *testing.T) {
	f := New(t, Options{})
	f.AddSCMRepo("octo/app", "main")

	if code, _, body := call(t, f, "GET", "/version", nil); code != 200 || !strings.Contains(body, `"version":"0.8.9"`) {
		t.Errorf("GET /version: %d %s", code, body)
	}
	// Unknown routes: 200 HTML for every method.
	for _, m := range []string{"GET", "POST", "PATCH", "DELETE"} {
		for _, p := range []string{"/api/secrets/octo", "/api/repos/octo/app/cron", "/api/templates/octo", "/nope"} {
			if code, ct, body := call(t, f, m, p, map[string]string{}); code != 200 || !strings.Contains(ct, "text/html") || !strings.HasPrefix(body, "<!DOCTYPE html>") {
				t.Errorf("%s %s: %d %s", m, p, code, ct)
			}
		}
	}
	// POST /api/user/repos is not 0.8's sync: nothing synced.
	call(t, f, "POST", "/api/user/repos", nil)
	if code, _, _ := call(t, f, "GET", "/api/repos/octo/app", nil); code != 404 {
		t.Errorf("repo known before a flush: %d", code)
	}
	call(t, f, "GET", "/api/user/repos?flush=true", nil)
	if code, _, body := call(t, f, "POST", "/api/repos/octo/app", nil); code != 200 || strings.Contains(body, `"slug"`) || !strings.Contains(body, `"full_name":"octo/app"`) {
		t.Errorf("enable: %d %s", code, body)
	}
	if code, _, _ := call(t, f, "POST", "/api/repos/octo/app", nil); code != 409 {
		t.Errorf("re-enable: %d, want 409", code)
	}
	// Patch keys singular, answers plural.
	_, _, body := call(t, f, "PATCH", "/api/repos/octo/app", map[string]any{"allow_tag": true, "allow_deploy": true, "config_file": "x.yml", "gated": true})
	for _, want := range []string{`"allow_tags":true`, `"allow_deploys":true`, `"config_file":"x.yml"`, `"gated":true`} {
		if !strings.Contains(body, want) {
			t.Errorf("patch answer lacks %s: %s", want, body)
		}
	}
	// Secrets: 1.x body refused; value never returned; patch ignores empty lists.
	if code, _, body := call(t, f, "POST", "/api/repos/octo/app/secrets", map[string]any{"name": "a", "data": "x"}); code != 400 || !strings.Contains(body, "Invalid Secret Value") {
		t.Errorf("1.x secret body: %d %s", code, body)
	}
	if code, _, body := call(t, f, "POST", "/api/repos/octo/app/secrets", map[string]any{"name": "Docker", "value": "x", "event": []string{"push"}, "image": []string{"plugins/docker"}}); code != 200 || strings.Contains(body, `"value"`) || !strings.Contains(body, `"name":"docker"`) {
		t.Errorf("create: %d %s", code, body)
	}
	call(t, f, "PATCH", "/api/repos/octo/app/secrets/docker", map[string]any{"value": "", "event": []string{}, "image": []string{}})
	if s, _ := f.SecretOf("octo/app", "docker"); s.Value != "x" || len(s.Events) != 1 || len(s.Images) != 1 {
		t.Errorf("a patch with empty fields changed the secret: %+v", s)
	}
	if code, _, _ := call(t, f, "DELETE", "/api/repos/octo/app/secrets/missing", nil); code != 500 {
		t.Errorf("delete of a missing secret: %d, want 500", code)
	}
	// Users: admin not stored, reported for the token's own user only.
	call(t, f, "POST", "/api/users", map[string]any{"login": "bob", "admin": true, "machine": true})
	call(t, f, "PATCH", "/api/users/bob", map[string]any{"admin": true, "active": true})
	if _, _, body := call(t, f, "GET", "/api/users/bob", nil); !strings.Contains(body, `"admin":false`) || strings.Contains(body, "machine") || strings.Contains(body, "token") {
		t.Errorf("user bob: %s", body)
	}
	if _, _, body := call(t, f, "GET", "/api/user", nil); !strings.Contains(body, `"admin":true`) {
		t.Errorf("self: %s", body)
	}
	if _, _, body := call(t, f, "GET", "/api/users/octocat", nil); !strings.Contains(body, `"admin":false`) {
		t.Errorf("admin reported outside the session: %s", body)
	}
}
