package client

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/galaxias/terraform-provider-galaxias/internal/httpx"
)

func newTestClient(t *testing.T, o Options) *Client {
	t.Helper()
	c, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// rawGet sends a GET of path through the client's one exchange and decoder.
func (c *Client) rawGet(path string) error {
	return c.do(context.Background(), call{method: "GET", path: path}, nil)
}

// Every error shape becomes a message that names the status and whatever
// the server said; duplicates, in-use and not-found are recognised in both
// dialects.
func TestErrorShapes(t *testing.T) {
	answers := map[string]struct {
		status int
		body   string
	}{
		"/array":   {500, `{"error":[{}],"error_code":5000001,"switch":"default"}`},
		"/object":  {500, `{"error":{},"error_code":5000001,"switch":"default"}`},
		"/string":  {404, `{"error":"App with id(9) is not found","error_code":40400003}`},
		"/bare":    {401, `"Permission denied, user doesn't login, please login first "`},
		"/text":    {404, "404 page not found"},
		"/empty":   {502, ""},
		"/nomsg":   {503, `{"error_code":50300001}`},
		"/list":    {400, `{"error":["name is required","email is invalid"]}`},
		"/dup":     {400, `{"error":"Project with name(a) already exists","error_code":40000018}`},
		"/dupuser": {400, `{"error":"user with name(a) is alerady exist","error_code":40000001}`},
		"/dup409":  {409, `{"error":"duplicate","error_code":40900001}`},
		"/inuse":   {412, `{"error":"Project Env with id 3 has APP CONFIG dependence, please clear first","error_code":41200008}`},
		"/use409":  {409, `{"error":"in use","error_code":40900002}`},
		"/nouser":  {400, `{"error":"User with id(5) was not found","error_code":40000005}`},
		"/badjson": {400, `{"error":"body is not valid JSON","error_code":40000001}`},
		"/role":    {401, `{"error":"Permission denied, only system_tools_admin or admin role can do this operation","error_code":40100001}`},
		"/notoken": {401, `{"error":"no token","error_code":40100001}`},
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a := answers[r.URL.Path]
		w.WriteHeader(a.status)
		_, _ = w.Write([]byte(a.body))
	}))
	t.Cleanup(srv.Close)
	c := newTestClient(t, Options{BaseURL: srv.URL, Token: "t"})
	errOf := c.rawGet
	for path, want := range map[string][]string{
		"/array":  {"500", "Internal Server Error", "no message", "[{}]", "error_code 5000001", "input checks"},
		"/object": {"500", "no message", "{}"},
		"/string": {"404", "App with id(9) is not found", "error_code 40400003"},
		"/bare":   {"401", "Permission denied, user doesn't login", "token"},
		"/text":   {"404", "404 page not found"},
		"/empty":  {"502", "Bad Gateway", "empty body"},
		"/nomsg":  {"503", "no message", "50300001"},
		"/list":   {"400", "name is required; email is invalid"},
		"/role":   {"401", "only system_tools_admin or admin role"},
	} {
		err := errOf(path)
		var ae *APIError
		if !errors.As(err, &ae) || ae.Message == "" {
			t.Errorf("%s: want an APIError with a message, got %v", path, err)
			continue
		}
		for _, s := range want {
			if !strings.Contains(err.Error(), s) {
				t.Errorf("%s: %q lacks %q", path, err, s)
			}
		}
	}
	if err := errOf("/role"); !isForbidden(err) || IsUnauthorized(err) || strings.Contains(err.Error(), "token is not accepted") {
		t.Errorf("a role refusal is forbidden, not a token problem: %v", err)
	}
	if err := errOf("/notoken"); isForbidden(err) || !IsUnauthorized(err) || !strings.Contains(err.Error(), "token is not accepted") {
		t.Errorf("a refused token: %v", err)
	}
	for path, want := range map[string][4]bool{ // duplicate, in use, conflict, not found
		"/dup":     {true, false, true, false},
		"/dupuser": {true, false, true, false},
		"/dup409":  {true, false, true, false},
		"/inuse":   {false, true, true, false},
		"/use409":  {false, true, true, false},
		"/nouser":  {false, false, false, true},
		"/badjson": {false, false, false, false},
		"/string":  {false, false, false, true},
	} {
		err := errOf(path)
		got := [4]bool{IsDuplicate(err), IsInUse(err), IsConflict(err), IsNotFound(err)}
		if got != want {
			t.Errorf("%s: duplicate/in-use/conflict/not-found = %v, want %v (%v)", path, got, want, err)
		}
	}
}

// The retry rule: a 500 with an application error_code fails at once; a
// 500 without one, an internal-error code, and 502/503/504 are retried.
func TestPermanentAnswersAreNotRetried(t *testing.T) {
	bodies := map[string]struct {
		status int
		body   string
		tries  int32
	}{
		"/validation": {500, `{"error":[{}],"error_code":5000001,"switch":"default"}`, 1},
		"/helm":       {500, `{"error":"render failed","error_code":50000006}`, 1},
		"/crash":      {500, "runtime error", 4},
		"/internal":   {500, `{"error":"internal server error","error_code":50000001}`, 4},
		"/mysql":      {500, `{"error":"Mysql Error: with num 1213","error_code":50000002}`, 4},
		"/gateway":    {502, `{"error":"upstream","error_code":50200001}`, 4},
		"/timeout":    {504, "", 4},
	}
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		b := bodies[r.URL.Path]
		w.WriteHeader(b.status)
		_, _ = w.Write([]byte(b.body))
	}))
	t.Cleanup(srv.Close)
	hc, err := httpx.New(httpx.Options{MaxRetries: 3, WaitMin: time.Millisecond, WaitMax: 2 * time.Millisecond, Permanent: PermanentAnswer})
	if err != nil {
		t.Fatal(err)
	}
	c := newTestClient(t, Options{BaseURL: srv.URL, Token: "t", HTTPClient: hc})
	for path, b := range bodies {
		hits.Store(0)
		err := c.rawGet(path)
		if statusOf(err) != b.status || hits.Load() != b.tries {
			t.Errorf("%s: want %d after %d attempts, got %v after %d", path, b.status, b.tries, err, hits.Load())
		}
	}
}
