package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/drone/drone-go/drone"

	"github.com/galaxias/terraform-provider-galaxias/internal/httpx"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/drone08"
)

func newClient(t *testing.T, url string) *Client {
	t.Helper()
	base, err := httpx.New(httpx.Options{Subsystem: "test", MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	return New(url, "t", base)
}

// answer serves one fixed answer to every request and counts them.
func answer(t *testing.T, status int, contentType, body string) (*httptest.Server, *atomic.Int64) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		n.Add(1)
		if contentType != "" {
			w.Header().Set("Content-Type", contentType)
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func TestPath(t *testing.T) {
	if p, err := Path("api", "repos", "o", "a b/c"); err != nil || p != "/api/repos/o/a%20b%2Fc" {
		t.Errorf("Path = %q, %v", p, err)
	}
	var pe *pathError
	if _, err := Path("api", "repos", "", ""); !errors.As(err, &pe) {
		t.Errorf("empty segments: %v, want a PathError", err)
	}
}

// No request is ever sent with an empty path segment.
func TestEmptySegment_noRequest(t *testing.T) {
	srv, n := answer(t, 200, "application/json", `{}`)
	c := newClient(t, srv.URL)
	for name, d := range map[string]Dialect{
		"1":   NewDialect(c, ServerInfo{API: API1}),
		"0.8": NewDialect(c, ServerInfo{API: api08}),
	} {
		ctx := context.Background()
		_, err1 := d.Repos.Get(ctx, "", "")
		_, err2 := d.Secrets.Get(ctx, SecretScope{Owner: "o", Repo: "r"}, "")
		err3 := d.Users.Delete(ctx, "")
		err4 := d.Repos.Disable(ctx, "o", "", true)
		for _, err := range []error{err1, err2, err3, err4} {
			var pe *pathError
			if !errors.As(err, &pe) || OutcomeUnknown(err) {
				t.Errorf("%s: %v, want a PathError", name, err)
			}
		}
	}
	if n.Load() != 0 {
		t.Errorf("%d requests sent", n.Load())
	}
}

// A 2xx that is not the API's JSON is an unexpectedAnswerError, for every
// method, and never an unknown outcome.
func TestUnexpectedAnswers(t *testing.T) {
	for name, tc := range map[string]struct {
		status      int
		ctype, body string
		out         bool
	}{
		"html page":            {200, "text/html; charset=utf-8", drone08.IndexPage, true},
		"html without out":     {200, "text/html", drone08.IndexPage, false},
		"html, no type":        {200, "", "  <html><body>proxy</body></html>", false},
		"empty body":           {200, "application/json", "", true},
		"not json":             {200, "text/plain", "ok", true},
		"text without out":     {200, "text/plain; charset=utf-8", "OK", false},
		"json of another type": {200, "application/json", `["a"]`, true},
	} {
		srv, _ := answer(t, tc.status, tc.ctype, tc.body)
		c := newClient(t, srv.URL)
		for _, m := range []string{"GET", "POST", "PATCH", "DELETE"} {
			var out *struct{ Name string }
			if tc.out {
				out = &struct{ Name string }{}
			}
			var err error
			if out != nil {
				err = c.Do(context.Background(), m, "/api/x", nil, out)
			} else {
				err = c.Do(context.Background(), m, "/api/x", nil, nil)
			}
			var ua *unexpectedAnswerError
			if !errors.As(err, &ua) || OutcomeUnknown(err) {
				t.Errorf("%s %s: %v, want an UnexpectedAnswerError", name, m, err)
				continue
			}
			if !strings.Contains(err.Error(), "no such endpoint") || !strings.Contains(err.Error(), m+" /api/x") {
				t.Errorf("%s %s: message %q", name, m, err)
			}
		}
	}
	// What real servers answer where no JSON is expected: Drone 1.x and
	// 0.8's secret delete 204, 0.8's user delete 200 with an empty
	// text/plain body, a repository disable or a 1.x sync JSON.
	for name, a := range map[string]struct {
		status      int
		ctype, body string
	}{
		"204 without a body":          {204, "", ""},
		"200 with an empty text body": {200, "text/plain; charset=utf-8", ""},
		"200 with JSON":               {200, "application/json", `{"full_name":"o/r"}` + "\n"},
	} {
		srv, _ := answer(t, a.status, a.ctype, a.body)
		if err := newClient(t, srv.URL).Do(context.Background(), "DELETE", "/api/x", nil, nil); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestErrors(t *testing.T) {
	for _, tc := range []struct {
		status  int
		body    string
		msg     string
		unknown bool
	}{
		{404, `{"message":"Not Found"}`, "Not Found", false},
		{409, "Repository is already active.", "Repository is already active.", false},
		{500, "Error deleting secret \"x\". sql: no rows in result set", "no rows", false},
		{502, "<html>Bad Gateway</html>", "Bad Gateway", true},
		{504, "", "(empty body)", true},
	} {
		srv, _ := answer(t, tc.status, "text/plain", tc.body)
		err := newClient(t, srv.URL).Do(context.Background(), "GET", "/api/x", nil, nil)
		var apiErr *APIError
		if !errors.As(err, &apiErr) || apiErr.Status != tc.status || !strings.Contains(apiErr.Message, tc.msg) {
			t.Errorf("%d: %v", tc.status, err)
		}
		if OutcomeUnknown(err) != tc.unknown || IsNotFound(err) != (tc.status == 404) {
			t.Errorf("%d: misclassified", tc.status)
		}
	}
	if OutcomeUnknown(nil) {
		t.Error("nil is an unknown outcome")
	}
}

// Only a lost answer leaves the outcome open: the exchange failed after the
// request was handed to the transport. An error that is no answer at all
// (a local one) or an answer that arrived but is unusable is a definite
// failure, so that nothing is kept in state for it.
func TestOutcomeUnknown(t *testing.T) {
	lost := map[string]http.HandlerFunc{
		"connection dropped": func(w http.ResponseWriter, _ *http.Request) {
			if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
				_ = conn.Close()
			}
		},
		"body cut short": func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Length", "100")
			_, _ = w.Write([]byte(`{"name":`))
		},
	}
	for name, h := range lost {
		srv := httptest.NewServer(h)
		err := newClient(t, srv.URL).Do(context.Background(), "POST", "/api/x", nil, &struct{ Name string }{})
		srv.Close()
		if err == nil || !OutcomeUnknown(err) {
			t.Errorf("%s: %v, want an unknown outcome", name, err)
		}
	}

	// An interrupt while waiting for the answer.
	arrived, release := make(chan struct{}), make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		close(arrived)
		<-release
	}))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- newClient(t, srv.URL).Do(ctx, "POST", "/api/x", nil, nil) }()
	<-arrived
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) || !OutcomeUnknown(err) {
		t.Errorf("cancelled during the exchange: %v, want an unknown outcome", err)
	}
	close(release)
	srv.Close()

	definite := map[string]error{
		"a local error":   errors.New("connection reset"),
		"a wrapped local": fmt.Errorf("finding the default branch: %w", errors.New("no default branch")),
		"a missing field": &missingFieldError{Server: "Drone 1.10.1", Method: "POST", Path: "/api/x", Field: "name"},
		"an unexpected answer": &unexpectedAnswerError{Server: "Drone 1.10.1", Method: "POST", Path: "/api/x",
			Status: 200, Why: "an HTML page"},
		"a path refused": &pathError{Segments: []string{"api", ""}},
		"an unsupported API": &UnsupportedError{Server: "Drone 0.8.9", What: "cron API", Needs: "Drone ≥ 1.0",
			Cause: &unexpectedAnswerError{Server: "Drone 0.8.9", Status: 200, Why: "an HTML page"}},
	}
	for name, err := range definite {
		if OutcomeUnknown(err) {
			t.Errorf("%s (%v) is an unknown outcome", name, err)
		}
	}

	// A 2xx without the identity field, through the dialect: definite.
	ans, _ := answer(t, 200, "application/json", `{}`)
	d := NewDialect(newClient(t, ans.URL), ServerInfo{API: API1, Version: "1.10.1"})
	_, err := d.Users.Create(context.Background(), drone.User{Login: "robot"})
	var mf *missingFieldError
	if !errors.As(err, &mf) || OutcomeUnknown(err) {
		t.Errorf("create answered {}: %v, want a missingFieldError that is not an unknown outcome", err)
	}
}

func TestDetect(t *testing.T) {
	for name, tc := range map[string]struct {
		handler    http.HandlerFunc
		configured APIVersion
		version    string
		api        APIVersion
		source     string
		warning    bool
	}{
		"0.8 body": {func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(`{"version":"0.8.9"}`)) },
			apiAuto, "0.8.9", api08, sourceDetected, false},
		"1.x body": {func(w http.ResponseWriter, _ *http.Request) {
			_, _ = w.Write([]byte(`{"source":"https://github.com/drone/drone.git","version":"1.10.1","commit":"x"}`))
		}, apiAuto, "1.10.1", API1, sourceDetected, false},
		"header only": {func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("X-Drone-Version", "0.8.4")
			w.Header().Set("Content-Type", "text/html")
			_, _ = w.Write([]byte("<html></html>"))
		}, apiAuto, "0.8.4", api08, sourceDetected, false},
		"nothing reported": {func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) },
			apiAuto, "", API1, sourceAssumed, false},
		"configured, agreeing": {func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(`{"version":"v2.20.0"}`)) },
			API1, "v2.20.0", API1, sourceConfigured, false},
		"configured, contradicted": {func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(`{"version":"0.8.9"}`)) },
			API1, "0.8.9", API1, sourceConfigured, true},
	} {
		srv := httptest.NewServer(tc.handler)
		d, warning, err := Connect(context.Background(), newClient(t, srv.URL), tc.configured)
		srv.Close()
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if d.Info.Version != tc.version || d.Info.API != tc.api || d.Info.Source != tc.source || (warning != "") != tc.warning {
			t.Errorf("%s: %+v warning %q", name, d.Info, warning)
		}
		if (d.Crons == nil) != (tc.api == api08) || (d.OrgSecrets == nil) != (tc.api == api08) {
			t.Errorf("%s: dialect %s has the wrong APIs", name, tc.api)
		}
	}
	// A server error on /version stops an automatic detection, not a configured one.
	srv, _ := answer(t, 500, "text/plain", "boom")
	if _, _, err := Connect(context.Background(), newClient(t, srv.URL), apiAuto); err == nil || !strings.Contains(err.Error(), "api_version") {
		t.Errorf("detection error: %v", err)
	}
	if _, _, err := Connect(context.Background(), newClient(t, srv.URL), api08); err != nil {
		t.Errorf("configured: %v", err)
	}
}

func TestParseAPIVersion(t *testing.T) {
	for in, want := range map[string]APIVersion{"": apiAuto, "auto": apiAuto, "1": API1, " 0.8 ": api08} {
		if got, err := ParseAPIVersion(in); err != nil || got != want {
			t.Errorf("ParseAPIVersion(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParseAPIVersion("0.9"); err == nil {
		t.Error("0.9 accepted")
	}
}

// The 1.x dialect against a 0.8 server: an answer without the identity
// field is an error naming the version.
func TestMissingField(t *testing.T) {
	f := drone08.New(t, drone08.Options{})
	f.AddSCMRepo("octocat/hello", "main")
	base, _ := httpx.New(httpx.Options{Subsystem: "test", MaxRetries: -1})
	c := New(f.URL, "drone08-admin-token", base)
	d, _, err := Connect(context.Background(), c, API1)
	if err != nil {
		t.Fatal(err)
	}
	v08 := NewDialect(c, ServerInfo{API: api08})
	if err := v08.Repos.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	_, err = d.Repos.Get(context.Background(), "octocat", "hello")
	var mf *missingFieldError
	if !errors.As(err, &mf) || mf.Field != "slug" || !strings.Contains(err.Error(), "Drone 0.8.9 answered GET /api/repos/octocat/hello") {
		t.Errorf("err = %v", err)
	}
}

func TestRepoPatch08_refusesV1Settings(t *testing.T) {
	srv, n := answer(t, 200, "application/json", `{"full_name":"o/r"}`)
	d := NewDialect(newClient(t, srv.URL), ServerInfo{API: api08})
	yes, two := true, int64(2)
	for _, p := range []drone.RepoPatch{{Throttle: &two}, {IgnoreForks: &yes}, {CancelRunning: &yes}} {
		if _, err := d.Repos.Update(context.Background(), "o", "r", p); err == nil || !strings.Contains(err.Error(), "drone 0.8 has no repository setting") {
			t.Errorf("%+v: %v", p, err)
		}
	}
	if n.Load() != 0 {
		t.Errorf("%d requests sent", n.Load())
	}
}
