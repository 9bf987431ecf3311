package refserver_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/galaxias/terraform-provider-galaxias/internal/testing/refserver"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/refserver/refservertest"
)

// What the real re-implementation answered about login binding, logout and
// the password reset (rock-transcripts auth.jsonl 8, 25-30), and what the
// replay alone would not say: the token still works after a logout, and
// a reset secret really changes the password.
func TestRockAuthAsRecorded(t *testing.T) {
	rt := startRock(t, refserver.Options{})

	t.Run("a form-encoded login binds no field: both required fields fail", func(t *testing.T) {
		rt := rt.in(t)
		a := rockForm(t, rt.srv.URL+"/v1/auth/login", "name="+refservertest.AdminName+"&password="+refservertest.AdminPassword)
		rt.want(a, 500, `{"error":[{},{}],"error_code":5000001,"switch":"default"}`)
		// a JSON body still binds as JSON: a truncated one is {} (seq 7)
		rt.want(rt.call("POST", "/v1/auth/login", `{"name":`, ""), 500, `{"error":{},"error_code":5000001,"switch":"default"}`)
	})

	t.Run("logout: 204, empty, refresh then clear the cookie; the token keeps working", func(t *testing.T) {
		rt := rt.in(t)
		tok := rt.token
		a := rt.call("POST", "/v1/auth/logout", nil, tok)
		if a.status != 204 || a.body != "" {
			t.Fatalf("%d %q", a.status, a.body)
		}
		cookies := a.header.Values("Set-Cookie")
		if len(cookies) != 2 || !strings.HasPrefix(cookies[0], "token="+tok+";") || !strings.HasPrefix(cookies[1], "token=;") ||
			!strings.Contains(cookies[1], "Max-Age=0") {
			t.Fatalf("Set-Cookie %q", cookies)
		}
		rt.want(rt.call("GET", "/v1/projects?"+rockPg, nil, tok), 200, "")
		rt.want(rt.call("POST", "/v1/auth/logout", nil, ""), 401, `"Permission denied, user doesn't login, please login first "`)
	})

	rt.id(rt.admin("POST", "/v1/users", map[string]any{"name": "reset-me", "password": "Rec-pass1", "email": "reset-me@example.com", "role_id": 3}))
	pwd := func(secret, email, pw, again string) answer {
		return rt.call("PUT", "/v1/auth/pwd", map[string]string{"secret": secret, "email": email, "password": pw, "re_password": again}, "")
	}

	t.Run("reset: no authentication; unknown e-mail 500 {}, invalid 500 [{}]", func(t *testing.T) {
		rt := rt.in(t)
		rt.want(rt.call("POST", "/v1/auth/reset", map[string]string{"email": "nobody@example.com"}, ""), 500,
			`{"error":{},"error_code":5000001,"switch":"default"}`)
		rt.want(rt.call("POST", "/v1/auth/reset", map[string]string{"email": "not-an-email"}, ""), 500,
			`{"error":[{}],"error_code":5000001,"switch":"default"}`)
	})
	t.Run("pwd: no authentication; an unknown e-mail is 400 40000011", func(t *testing.T) {
		rt := rt.in(t)
		rt.want(pwd("s", "nobody@example.com", "Rec-pass2", "Rec-pass2"), 400, `{"error":"Email nobody@example.com not found","error_code":40000011}`)
		rt.want(pwd("s", "reset-me@example.com", "Rec-pass2", "Rec-pass3"), 400, `{"error":"Two input password is not the same","error_code":40000010}`)
		rt.want(pwd("s", "reset-me@example.com", "Rec-pass2", "Rec-pass2"), 500,
			`{"error":"invalid memory address or nil pointer dereference","error_code":5000001,"switch":"default"}`)
	})
	t.Run("a reset secret changes the password", func(t *testing.T) {
		rt := rt.in(t)
		a := rt.call("POST", "/v1/auth/reset", map[string]string{"email": "reset-me@example.com"}, "")
		if a.status != 204 || a.body != "" || !strings.HasPrefix(a.header.Get("Set-Cookie"), "token=;") {
			t.Fatalf("%d %q %q", a.status, a.body, a.header.Get("Set-Cookie"))
		}
		secret, err := rt.srv.RockResetSecret("reset-me@example.com")
		if err != nil || len(secret) != 16 {
			t.Fatalf("secret %q: %v", secret, err)
		}
		rt.want(pwd(secret+"x", "reset-me@example.com", "Rec-pass2", "Rec-pass2"), 400, `{"error":"Password reset secret is not correct","error_code":40000013}`)
		rt.want(pwd(secret, "reset-me@example.com", "Rec-pass2", "Rec-pass2"), 200, `"User reset-me password reset successful"`)
		rt.login("reset-me", "Rec-pass2")
		rt.want(rt.call("POST", "/v1/auth/login", map[string]string{"name": "reset-me", "password": "Rec-pass1"}, ""), 400,
			`{"error":"password incorrect","error_code":40000003}`)
	})
	t.Run("an expired secret is refused and cleared", func(t *testing.T) {
		rt := rt.in(t)
		rt.want(rt.call("POST", "/v1/auth/reset", map[string]string{"email": "reset-me@example.com"}, ""), 204, "")
		secret, _ := rt.srv.RockResetSecret("reset-me@example.com")
		if err := rt.srv.RockExpireResetSecret("reset-me@example.com"); err != nil {
			t.Fatal(err)
		}
		rt.want(pwd(secret, "reset-me@example.com", "Rec-pass3", "Rec-pass3"), 400,
			`{"error":"Password reset secret had been expired, please resend email to get new one!","error_code":40000012}`)
		if s, _ := rt.srv.RockResetSecret("reset-me@example.com"); s != "" {
			t.Fatalf("secret kept: %q", s)
		}
	})
}

// rockForm posts a form-encoded body.
func rockForm(t *testing.T, url, body string) answer {
	t.Helper()
	resp, err := http.Post(url, "application/x-www-form-urlencoded", strings.NewReader(body)) //nolint:noctx // a test
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	b, _ := io.ReadAll(resp.Body)
	return answer{resp.StatusCode, resp.Header, string(b)}
}
