package httpx

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"
)

// logged runs fn with a context carrying a test root logger and returns the
// raw log output and its decoded entries.
func logged(t *testing.T, fn func(ctx context.Context)) (string, []map[string]any) {
	t.Helper()
	var buf bytes.Buffer
	fn(tflogtest.RootLogger(context.Background(), &buf))
	raw := buf.String()
	entries, err := tflogtest.MultilineJSONDecode(&buf)
	if err != nil {
		t.Fatalf("decoding log output: %v\n%s", err, raw)
	}
	return raw, entries
}

// find returns the entries with the given message.
func find(entries []map[string]any, msg string) []map[string]any {
	var out []map[string]any
	for _, e := range entries {
		if e["@message"] == msg {
			out = append(out, e)
		}
	}
	return out
}

func TestLogsRequestsResponsesAndRetriesWithSecretsMasked(t *testing.T) {
	const token = "gx-T0kenValue-4242"
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if r.Header.Get("Authorization") != "Bearer "+token {
			reply(w, http.StatusUnauthorized, "no auth")
			return
		}
		if n == 1 {
			// An echo of the secret in the response must not be logged either.
			w.Header().Set("X-Echo", token)
			reply(w, http.StatusInternalServerError, "error for "+token)
			return
		}
		reply(w, http.StatusOK, "ok")
	})
	base := newClient(t, func(o *Options) { o.Secrets = []string{"", token} })
	c := WithHeader(base, "Authorization", "Bearer "+token)
	target := srv.URL + "/v1/repos?token=" + token + "&page=1"

	raw, entries := logged(t, func(ctx context.Context) {
		res, err := send(ctx, c, http.MethodGet, target, "")
		if err != nil || res.status != http.StatusOK {
			t.Fatalf("got %d, %v; want 200", res.status, err)
		}
	})

	if strings.Contains(raw, token) {
		t.Fatalf("the token appears in the log output:\n%s", raw)
	}
	if got := srv.hits.Load(); got != 2 {
		t.Fatalf("server hits = %d, want 2", got)
	}

	sent := find(entries, "sending request")
	if len(sent) != 2 {
		t.Fatalf("%d \"sending request\" entries, want 2 (one per attempt); log:\n%s", len(sent), raw)
	}
	for i, e := range sent {
		if e["@module"] != "provider.galaxias" {
			t.Errorf("sending request: @module = %v, want provider.galaxias", e["@module"])
		}
		if e["method"] != "GET" {
			t.Errorf("sending request: method = %v", e["method"])
		}
		if fmt.Sprint(e["attempt"]) != fmt.Sprint(i+1) {
			t.Errorf("sending request %d: attempt = %v", i, e["attempt"])
		}
		u, _ := e["url"].(string)
		if !strings.Contains(u, "/v1/repos") || !strings.Contains(u, "***") {
			t.Errorf("sending request: url = %q, want the path with the token masked", u)
		}
	}

	recv := find(entries, "received response")
	if len(recv) != 2 {
		t.Fatalf("%d \"received response\" entries, want 2; log:\n%s", len(recv), raw)
	}
	if fmt.Sprint(recv[0]["status"]) != "500" || fmt.Sprint(recv[1]["status"]) != "200" {
		t.Errorf("received response statuses = %v, %v; want 500, 200", recv[0]["status"], recv[1]["status"])
	}
	for _, e := range recv {
		if e["@module"] != "provider.galaxias" {
			t.Errorf("received response: @module = %v", e["@module"])
		}
	}

	retry := find(entries, "retrying request")
	if len(retry) != 1 {
		t.Fatalf("%d \"retrying request\" entries, want 1; log:\n%s", len(retry), raw)
	}
	if r, _ := retry[0]["request"].(string); !strings.Contains(r, "status: 500") {
		t.Errorf("retrying request: request = %q, want the status", r)
	}
	if retry[0]["@module"] != "provider.galaxias" {
		t.Errorf("retrying request: @module = %v", retry[0]["@module"])
	}

	// Headers are never logged.
	if strings.Contains(raw, "Bearer") || strings.Contains(strings.ToLower(raw), "authorization") {
		t.Errorf("the Authorization header shows in the log:\n%s", raw)
	}
}

func TestLogsMaskSecretsOnTransportErrors(t *testing.T) {
	const token = "gx-SecretInError-9001"
	c := WithHeader(newClient(t, func(o *Options) { o.Secrets = []string{token}; o.MaxRetries = 1 }),
		"Authorization", "Bearer "+token)
	target := "http://" + closedAddr(t) + "/v1/items?access_token=" + token

	raw, entries := logged(t, func(ctx context.Context) {
		_, err := send(ctx, c, http.MethodPost, target, `{"a":1}`)
		if err == nil {
			t.Fatal("want a connection error")
		}
	})
	if strings.Contains(raw, token) {
		t.Fatalf("the token appears in the log output:\n%s", raw)
	}
	if n := len(find(entries, "request failed")); n != 2 {
		t.Fatalf("%d \"request failed\" entries, want 2 (one per attempt); log:\n%s", n, raw)
	}
	if n := len(find(entries, "retrying request")); n != 1 {
		t.Fatalf("%d \"retrying request\" entries, want 1; log:\n%s", n, raw)
	}
}

// Tokens are often base64 and so hold characters that a URL escapes; the
// escaped form in a logged URL is the same secret.
func TestLogsMaskURLEscapedSecrets(t *testing.T) {
	const token = "ab+cd/ef=gh:ij kl"
	srv := newServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) { reply(w, http.StatusOK, "") })
	c := newClient(t, func(o *Options) { o.Secrets = []string{token} })
	q := url.Values{"token": {token}}
	target := srv.URL + "/v1/" + url.PathEscape(token) + "/x?" + q.Encode()

	raw, entries := logged(t, func(ctx context.Context) {
		if _, err := send(ctx, c, http.MethodGet, target, ""); err != nil {
			t.Fatal(err)
		}
	})
	if len(find(entries, "sending request")) == 0 {
		t.Fatalf("no request logged:\n%s", raw)
	}
	for _, form := range []string{token, url.QueryEscape(token), url.PathEscape(token)} {
		if strings.Contains(raw, form) {
			t.Errorf("the token appears in the log output as %q:\n%s", form, raw)
		}
	}
}

func TestLogsWithoutSecrets(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) { reply(w, http.StatusOK, "") })
	c := newClient(t, func(o *Options) { o.Subsystem = "drone" })

	raw, entries := logged(t, func(ctx context.Context) {
		if _, err := send(ctx, c, http.MethodGet, srv.URL+"/plain?page=2", ""); err != nil {
			t.Fatal(err)
		}
	})
	sent := find(entries, "sending request")
	if len(sent) != 1 || sent[0]["@module"] != "provider.drone" {
		t.Fatalf("want one sending request entry in provider.drone; log:\n%s", raw)
	}
	if u, _ := sent[0]["url"].(string); u != srv.URL+"/plain?page=2" {
		t.Fatalf("url = %q: without secrets, the URL should be logged as is", u)
	}
}

func TestLogsRedactURLPassword(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) { reply(w, http.StatusOK, "") })
	c := newClient(t, nil)
	target := strings.Replace(srv.URL, "http://", "http://admin:hunter2pw@", 1)

	raw, _ := logged(t, func(ctx context.Context) {
		if _, err := send(ctx, c, http.MethodGet, target, ""); err != nil {
			t.Fatal(err)
		}
	})
	if strings.Contains(raw, "hunter2pw") {
		t.Fatalf("the URL password appears in the log:\n%s", raw)
	}
}

func TestNoLoggerInContextIsFine(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, _ *http.Request, n int) {
		if n == 1 {
			reply(w, http.StatusInternalServerError, "")
			return
		}
		reply(w, http.StatusOK, "")
	})
	c := newClient(t, func(o *Options) { o.Secrets = []string{"x"} })
	if res := mustSend(t, c, http.MethodGet, srv.URL, ""); res.status != http.StatusOK {
		t.Fatalf("status = %d", res.status)
	}
}
