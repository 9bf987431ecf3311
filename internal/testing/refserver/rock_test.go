package refserver_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/galaxias/terraform-provider-galaxias/internal/testing/fakek8s"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/refserver"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/refserver/refservertest"
)

// Server-side tests of the rock dialect: one per fact of the reference page
// (/work/shared/reference/galaxias-reimplementation.md), each asserting the
// exact status and body shape the re-implementation answers.

type rockT struct {
	t     *testing.T
	srv   *refservertest.Started
	token string // the admin's token (from the cookie)
}

func startRock(t *testing.T, opts refserver.Options) *rockT {
	t.Helper()
	opts.Dialect = refserver.DialectRock
	srv := refservertest.Start(t, opts)
	rt := &rockT{t: t, srv: srv}
	rt.token = rt.login(refservertest.AdminName, refservertest.AdminPassword)
	return rt
}

type answer struct {
	status int
	header http.Header
	body   string
}

// json decodes the body (failing the test if it is not JSON).
func (a answer) json(t *testing.T) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(a.body), &v); err != nil {
		t.Fatalf("not JSON (%d): %q", a.status, a.body)
	}
	return v
}

func (a answer) obj(t *testing.T) map[string]any {
	t.Helper()
	m, ok := a.json(t).(map[string]any)
	if !ok {
		t.Fatalf("not an object (%d): %s", a.status, a.body)
	}
	return m
}

// call sends a request with the token as "Authorization: Bearer"; body is
// marshalled unless it is a string.
func (rt *rockT) call(method, path string, body any, token string) answer {
	rt.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		j, _ := json.Marshal(b)
		rd = bytes.NewReader(j)
	}
	req, _ := http.NewRequest(method, rt.srv.URL+path, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		rt.t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	b, _ := io.ReadAll(resp.Body)
	return answer{resp.StatusCode, resp.Header, string(b)}
}

func (rt *rockT) admin(method, path string, body any) answer {
	rt.t.Helper()
	return rt.call(method, path, body, rt.token)
}

// want checks status and, if body is not "", the exact JSON body.
func (rt *rockT) want(a answer, status int, body string) {
	rt.t.Helper()
	if a.status != status {
		rt.t.Fatalf("status %d, want %d: %s", a.status, status, a.body)
	}
	if body == "" {
		return
	}
	var got, want any
	if err := json.Unmarshal([]byte(a.body), &got); err != nil {
		rt.t.Fatalf("body is not JSON: %q", a.body)
	}
	if err := json.Unmarshal([]byte(body), &want); err != nil {
		rt.t.Fatalf("bad expectation %q", body)
	}
	if !reflect.DeepEqual(got, want) {
		rt.t.Fatalf("body %s, want %s", a.body, body)
	}
}

func cookieToken(h http.Header) string {
	for _, c := range (&http.Response{Header: h}).Cookies() {
		if c.Name == "token" {
			return c.Value
		}
	}
	return ""
}

func (rt *rockT) login(name, password string) string {
	rt.t.Helper()
	for range 3 {
		a := rt.call("POST", "/v1/auth/login", map[string]string{"name": name, "password": password}, "")
		if a.status == 500 && strings.Contains(a.body, "nil pointer") {
			time.Sleep(time.Second) // a login in the same second as the last token
			continue
		}
		rt.want(a, 200, "")
		return cookieToken(a.header)
	}
	rt.t.Fatalf("cannot log in as %s", name)
	return ""
}

func (rt *rockT) id(a answer) int64 {
	rt.t.Helper()
	if a.status/100 != 2 {
		rt.t.Fatalf("%d %s", a.status, a.body)
	}
	return int64(a.obj(rt.t)["id"].(float64))
}

func keys(m map[string]any) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func (rt *rockT) wantKeys(m map[string]any, want ...string) {
	rt.t.Helper()
	sort.Strings(want)
	if got := keys(m); !reflect.DeepEqual(got, want) {
		rt.t.Fatalf("keys %v, want %v", got, want)
	}
}

// world is a project, a cluster (on the fake API), an env, a project-env
// and an app.
type world struct{ project, cluster, env, pe, app int64 }

func (rt *rockT) world(name string) world {
	rt.t.Helper()
	var w world
	w.project = rt.id(rt.admin("POST", "/v1/projects", map[string]any{"name": name}))
	w.cluster = rt.id(rt.admin("POST", "/v1/clusters", map[string]any{"name": name, "config": rt.srv.Kubeconfig}))
	w.env = rt.id(rt.admin("POST", "/v1/envs", map[string]any{"cluster_id": w.cluster, "namespace": "ns-" + name}))
	w.pe = rt.id(rt.admin("POST", fmt.Sprintf("/v1/projects/%d/project-envs", w.project), map[string]any{"name": name, "env_id": w.env}))
	w.app = rt.id(rt.admin("POST", "/v1/apps", map[string]any{"name": name, "project_id": w.project}))
	return w
}

const rockPg = "page_num=1&page_size=100"

var rockTime = regexp.MustCompile(`^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$`)

func TestRockTransport(t *testing.T) {
	rt := startRock(t, refserver.Options{})

	t.Run("health answers plain-text ok", func(t *testing.T) {
		a := rt.call("GET", "/health", nil, "")
		if a.status != 200 || a.body != "ok" || !strings.HasPrefix(a.header.Get("Content-Type"), "text/plain") {
			t.Fatalf("%d %q %s", a.status, a.body, a.header.Get("Content-Type"))
		}
	})
	t.Run("unknown routes answer a plain-text 404, after authentication", func(t *testing.T) {
		a := rt.admin("GET", "/v1/nothing", nil)
		if a.status != 404 || a.body != "404 page not found" || !strings.HasPrefix(a.header.Get("Content-Type"), "text/plain") {
			t.Fatalf("%d %q", a.status, a.body)
		}
		rt.want(rt.call("GET", "/v1/nothing", nil, ""), 401, `"Permission denied, user doesn't login, please login first "`)
	})
	t.Run("times have no offset; updated_at jumps 8 hours after an update", func(t *testing.T) {
		p := rt.admin("POST", "/v1/projects", map[string]any{"name": "times", "description": "a"}).obj(t)
		if !rockTime.MatchString(p["created_at"].(string)) || p["updated_at"] != p["created_at"] {
			t.Fatalf("%v", p)
		}
		u := rt.admin("PUT", fmt.Sprintf("/v1/projects/%v", p["id"]), map[string]any{"description": "b"}).obj(t)
		created, _ := time.Parse(refserver.RockTimeLayout, p["created_at"].(string))
		updated, err := time.Parse(refserver.RockTimeLayout, u["updated_at"].(string))
		if d := updated.Sub(created); err != nil || d < 8*time.Hour || d > 8*time.Hour+time.Minute {
			t.Fatalf("updated_at %v after created_at %v", u["updated_at"], p["created_at"])
		}
	})
	t.Run("lists need page_num and page_size (500 with one empty object per missing field)", func(t *testing.T) {
		rt.want(rt.admin("GET", "/v1/projects", nil), 500, `{"error":[{},{}],"error_code":5000001,"switch":"default"}`)
		rt.want(rt.admin("GET", "/v1/projects?page_num=1", nil), 500, `{"error":[{}],"error_code":5000001,"switch":"default"}`)
		rt.want(rt.admin("GET", "/v1/projects?page_num=1&page_size=0", nil), 500, `{"error":[{}],"error_code":5000001,"switch":"default"}`)
		rt.want(rt.admin("GET", "/v1/projects?rockPg=1&per_page=20", nil), 500, `{"error":[{},{}],"error_code":5000001,"switch":"default"}`)
	})
	t.Run("the envelope is page_num, page_size, total, pages, items; empty lists have pages 1", func(t *testing.T) {
		rt.want(rt.admin("GET", "/v1/clusters?page_num=1&page_size=10", nil), 200, `{"page_num":1,"page_size":10,"total":0,"pages":1,"items":[]}`)
		for i := range 3 {
			rt.admin("POST", "/v1/projects", map[string]any{"name": fmt.Sprintf("paged-%d", i)})
		}
		env := rt.admin("GET", "/v1/projects?page_num=2&page_size=2&query_field=paged", nil).obj(t)
		if env["total"] != 3.0 || env["pages"] != 2.0 || len(env["items"].([]any)) != 1 || env["page_num"] != 2.0 {
			t.Fatalf("%v", env)
		}
	})
	t.Run("the search parameter is query_field (fq is ignored)", func(t *testing.T) {
		rt.admin("POST", "/v1/projects", map[string]any{"name": "needle-x"})
		if n := rt.admin("GET", "/v1/projects?"+rockPg+"&query_field=needle", nil).obj(t)["total"]; n != 1.0 {
			t.Fatalf("query_field: %v", n)
		}
		if n := rt.admin("GET", "/v1/projects?"+rockPg+"&fq=needle", nil).obj(t)["total"]; n == 1.0 {
			t.Fatal("fq filtered")
		}
	})
	t.Run("records carry version 0 or none", func(t *testing.T) {
		w := rt.world("versions")
		if v, ok := rt.admin("GET", fmt.Sprintf("/v1/envs/%d", w.env), nil).obj(t)["version"]; !ok || v != 0.0 {
			t.Fatalf("env version %v", v)
		}
		if _, ok := rt.admin("GET", fmt.Sprintf("/v1/projects/%d", w.project), nil).obj(t)["version"]; ok {
			t.Fatal("a project has a version")
		}
	})
	t.Run(`ids as {"id": N} are refused with 500`, func(t *testing.T) {
		w := rt.world("idobj")
		a := rt.admin("POST", "/v1/apps", map[string]any{"name": "x", "project_id": map[string]any{"id": w.project}})
		e := a.obj(t)
		detail, _ := e["error"].(map[string]any)
		if a.status != 500 || e["error_code"] != 5000001.0 || e["switch"] != "default" || detail["Field"] != "project_id" || detail["Struct"] != "CreateAppReq" {
			t.Fatalf("%d %s", a.status, a.body)
		}
	})
	t.Run("an empty body is a 500 with an empty object", func(t *testing.T) {
		rt.want(rt.admin("POST", "/v1/projects", ""), 500, `{"error":{},"error_code":5000001,"switch":"default"}`)
	})
}

func TestRockErrorsAndDuplicates(t *testing.T) {
	rt := startRock(t, refserver.Options{})
	w := rt.world("dup")

	t.Run("a 401 body is a bare JSON string", func(t *testing.T) {
		a := rt.call("GET", "/v1/projects?"+rockPg, nil, "")
		rt.want(a, 401, `"Permission denied, user doesn't login, please login first "`)
		rt.want(rt.call("GET", "/v1/projects?"+rockPg, nil, "not-a-jwt"), 401, `"Parse token failed , token contains an invalid number of segments"`)
	})
	t.Run("wrong password 400 40000003; unknown user 500", func(t *testing.T) {
		rt.want(rt.call("POST", "/v1/auth/login", map[string]string{"name": refservertest.AdminName, "password": "wrong"}, ""), 400,
			`{"error":"password incorrect","error_code":40000003}`)
		rt.want(rt.call("POST", "/v1/auth/login", map[string]string{"name": "nobody", "password": "x"}, ""), 500,
			`{"error":{},"error_code":5000001,"switch":"default"}`)
		rt.want(rt.call("POST", "/v1/auth/login", map[string]string{"name": "nobody"}, ""), 500,
			`{"error":[{}],"error_code":5000001,"switch":"default"}`)
	})
	t.Run("role refusal 401 40100001", func(t *testing.T) {
		rt.admin("POST", "/v1/users", map[string]any{"name": "dev", "password": "Dev-pass1", "email": "dev@example.com", "role_id": 3})
		dev := rt.login("dev", "Dev-pass1")
		rt.want(rt.call("POST", "/v1/projects", map[string]any{"name": "nope"}, dev), 401,
			`{"error":"Permission denied, only system_tools_admin or admin role can do this operation","error_code":40100001}`)
		// apps are open to every role
		if a := rt.call("POST", "/v1/apps", map[string]any{"name": "dev-app", "project_id": w.project}, dev); a.status != 201 {
			t.Fatalf("%d %s", a.status, a.body)
		}
	})
	for _, tc := range []struct {
		what, method, path string
		body               map[string]any
		code               int
	}{
		{"project", "POST", "/v1/projects", map[string]any{"name": "dup"}, 40000015},
		{"app", "POST", "/v1/apps", map[string]any{"name": "dup", "project_id": w.project}, 40000017},
		{"cluster", "POST", "/v1/clusters", map[string]any{"name": "dup", "config": rt.srv.Kubeconfig}, 40000018},
		{"env", "POST", "/v1/envs", map[string]any{"cluster_id": w.cluster, "namespace": "ns-dup"}, 40000020},
		{"project-env", "POST", fmt.Sprintf("/v1/projects/%d/project-envs", w.project), map[string]any{"name": "dup", "env_id": w.env}, 40000022},
	} {
		t.Run("a duplicate "+tc.what+" is 400 "+fmt.Sprint(tc.code), func(t *testing.T) {
			a := rt.admin(tc.method, tc.path, tc.body)
			if e := a.obj(t); a.status != 400 || e["error_code"] != float64(tc.code) || !strings.Contains(e["error"].(string), "already exists") {
				t.Fatalf("%d %s", a.status, a.body)
			}
		})
	}
	t.Run("deleting a cluster with envs, an env with project-envs or a project with apps and project-envs answers 204", func(t *testing.T) {
		x := rt.world("inuse")
		rt.want(rt.admin("DELETE", fmt.Sprintf("/v1/clusters/%d", x.cluster), nil), 204, "")
		// envs bound by project-envs and apps with instances are not guarded either
		y := rt.world("inuse-env")
		rt.want(rt.admin("DELETE", fmt.Sprintf("/v1/envs/%d", y.env), nil), 204, "")
		rt.want(rt.admin("GET", fmt.Sprintf("/v1/projects/%d/project-envs/%d", y.project, y.pe), nil), 200, "")
		rt.want(rt.admin("GET", fmt.Sprintf("/v1/envs/%d", y.env), nil), 404, fmt.Sprintf(`{"error":"Env with id(%d) is not found","error_code":40400008}`, y.env))
		rt.want(rt.admin("DELETE", fmt.Sprintf("/v1/projects/%d", x.project), nil), 204, "")
		// what used them is still there
		rt.want(rt.admin("GET", fmt.Sprintf("/v1/envs/%d", x.env), nil), 200, "")
		rt.want(rt.admin("GET", fmt.Sprintf("/v1/apps/%d", x.app), nil), 200, "")
		rt.want(rt.admin("GET", fmt.Sprintf("/v1/projects/%d", x.project), nil), 404,
			fmt.Sprintf(`{"error":"Project with id(%d) was not found","error_code":40400004}`, x.project))
	})
	t.Run("deleting a project-env with app configs answers 412 41200008", func(t *testing.T) {
		x := rt.world("peinuse")
		rt.want(rt.admin("PUT", fmt.Sprintf("/v1/apps/%d/config", x.app), map[string]any{"project_env_id": x.pe, "config": "a: 1\n"}), 200, "")
		a := rt.admin("DELETE", fmt.Sprintf("/v1/projects/%d/project-envs/%d", x.project, x.pe), nil)
		if e := a.obj(t); a.status != 412 || e["error_code"] != 41200008.0 {
			t.Fatalf("%d %s", a.status, a.body)
		}
	})
}

func TestRockAuth(t *testing.T) {
	rt := startRock(t, refserver.Options{})

	t.Run("the login token is only in the token cookie; the user has role_id and role_name", func(t *testing.T) {
		time.Sleep(time.Second) // not in the second of the login in startRock
		a := rt.call("POST", "/v1/auth/login", map[string]string{"name": refservertest.AdminName, "password": refservertest.AdminPassword}, "")
		u := a.obj(t)
		if a.status != 200 || cookieToken(a.header) == "" || strings.Contains(a.body, cookieToken(a.header)) {
			t.Fatalf("%d %s %v", a.status, a.body, a.header)
		}
		if _, ok := u["token"]; ok || u["role_id"] != 1.0 || u["role_name"] != refserver.RoleAdmin || !rockTime.MatchString(u["created_at"].(string)) {
			t.Fatalf("%v", u)
		}
		rt.token = cookieToken(a.header)
		// the cookie alone authenticates
		req, _ := http.NewRequest("GET", rt.srv.URL+"/v1/projects?"+rockPg, nil)
		req.AddCookie(&http.Cookie{Name: "token", Value: rt.token})
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("cookie: %v %v", resp, err)
		}
		_ = resp.Body.Close()
	})
	t.Run("tokens expire (exp) after server.tokenExpire plus a minute; iss is not console", func(t *testing.T) {
		var c refserver.RockClaims
		if _, _, err := jwt.NewParser().ParseUnverified(rt.token, &c); err != nil {
			t.Fatal(err)
		}
		if c.ExpiresAt == nil || c.IssuedAt == nil || c.Issuer == "console" || c.ID != "" {
			t.Fatalf("claims %+v", c)
		}
		if d := c.ExpiresAt.Sub(c.IssuedAt.Time); d != time.Minute { // 1 min + 300ns, in whole seconds
			t.Fatalf("lifetime %v", d)
		}
		// A token past its exp is refused.
		old, err := rt.srv.RockTokenExpiring(-2*time.Minute, 1, refservertest.AdminName, "x", refserver.RoleAdmin)
		if err != nil {
			t.Fatal(err)
		}
		a := rt.call("GET", "/v1/projects?"+rockPg, nil, old)
		if a.status != 401 || !strings.HasPrefix(a.body, `"Parse token failed , token is expired by `) {
			t.Fatalf("%d %s", a.status, a.body)
		}
	})
	t.Run("the expiry is a setting", func(t *testing.T) {
		long := startRock(t, refserver.Options{TokenExpire: 24 * time.Hour})
		var c refserver.RockClaims
		if _, _, err := jwt.NewParser().ParseUnverified(long.token, &c); err != nil {
			t.Fatal(err)
		}
		if d := c.ExpiresAt.Sub(c.IssuedAt.Time); d != 24*time.Hour+time.Minute {
			t.Fatalf("lifetime %v", d)
		}
	})
	t.Run("a second login of a user in the same second gets a 500 (nil pointer)", func(t *testing.T) {
		rt.admin("POST", "/v1/users", map[string]any{"name": "racer", "password": "Racer-pw1", "email": "racer@example.com", "role_id": 1})
		time.Sleep(time.Second) // past the token the user got at creation
		for range 5 {
			first := rt.call("POST", "/v1/auth/login", map[string]string{"name": "racer", "password": "Racer-pw1"}, "")
			second := rt.call("POST", "/v1/auth/login", map[string]string{"name": "racer", "password": "Racer-pw1"}, "")
			if first.status != 200 {
				time.Sleep(time.Second)
				continue
			}
			if second.status == 200 {
				continue // the two fell into different seconds; try again
			}
			rt.want(second, 500, `{"error":"invalid memory address or nil pointer dereference","error_code":5000001,"switch":"default"}`)
			return
		}
		t.Fatal("no two logins within one second in five tries")
	})
	t.Run("a newer login replaces the token", func(t *testing.T) {
		time.Sleep(time.Second)
		old := rt.token
		rt.token = rt.login(refservertest.AdminName, refservertest.AdminPassword)
		rt.want(rt.call("GET", "/v1/projects?"+rockPg, nil, old), 401, `"User info is malformed, please login again"`)
	})
}

func TestRockRoutes(t *testing.T) {
	rt := startRock(t, refserver.Options{})
	w := rt.world("routes")

	t.Run("GET /v1/apps requires id = the project id", func(t *testing.T) {
		rt.want(rt.admin("GET", "/v1/apps?"+rockPg, nil), 500, `{"error":[{}],"error_code":5000001,"switch":"default"}`)
		l := rt.admin("GET", fmt.Sprintf("/v1/apps?%s&id=%d", rockPg, w.project), nil).obj(t)
		if l["total"] != 1.0 {
			t.Fatalf("%v", l)
		}
		rt.want(rt.admin("GET", "/v1/apps?"+rockPg+"&id=999", nil), 404, `{"error":"Project with id(999) was not found","error_code":40400004}`)
	})
	t.Run("there are no top-level project-env routes", func(t *testing.T) {
		for _, p := range []string{"/v1/project-envs?" + rockPg, fmt.Sprintf("/v1/project-envs/%d", w.pe)} {
			if a := rt.admin("GET", p, nil); a.status != 404 || a.body != "404 page not found" {
				t.Fatalf("%s: %d %s", p, a.status, a.body)
			}
		}
	})
	t.Run("project-env POST needs name; a duplicate is the same (name, project, env)", func(t *testing.T) {
		base := fmt.Sprintf("/v1/projects/%d/project-envs", w.project)
		rt.want(rt.admin("POST", base, map[string]any{"env_id": w.env}), 500, `{"error":[{}],"error_code":5000001,"switch":"default"}`)
		second := rt.admin("POST", base, map[string]any{"name": "another-name", "env_id": w.env})
		rt.want(second, 201, "")
		rt.wantKeys(second.obj(t), "id", "name", "description", "env_id", "project_id", "created_at", "updated_at")
	})
	t.Run("the project id in nested project-env paths is ignored; PUT changes only description", func(t *testing.T) {
		other := rt.id(rt.admin("POST", "/v1/projects", map[string]any{"name": "unrelated"}))
		path := fmt.Sprintf("/v1/projects/%d/project-envs/%d", other, w.pe)
		if pe := rt.admin("GET", path, nil).obj(t); pe["id"] != float64(w.pe) || pe["project_id"] != float64(w.project) {
			t.Fatalf("%v", pe)
		}
		pe := rt.admin("PUT", fmt.Sprintf("/v1/projects/999999/project-envs/%d", w.pe), map[string]any{"name": "renamed", "description": "d"}).obj(t)
		if pe["name"] != "routes" || pe["description"] != "d" {
			t.Fatalf("%v", pe)
		}
	})
	t.Run("PUT of a project or cluster ignores name", func(t *testing.T) {
		p := rt.admin("PUT", fmt.Sprintf("/v1/projects/%d", w.project), map[string]any{"name": "renamed", "description": "pd"}).obj(t)
		c := rt.admin("PUT", fmt.Sprintf("/v1/clusters/%d", w.cluster), map[string]any{"name": "renamed", "description": "cd", "config": rt.srv.Kubeconfig}).obj(t)
		if p["name"] != "routes" || p["description"] != "pd" || c["name"] != "routes" || c["description"] != "cd" {
			t.Fatalf("%v %v", p, c)
		}
	})
	t.Run("clusters never answer config; config is required and checked against the API server", func(t *testing.T) {
		before := rt.srv.Kube.NodeListings()
		created := rt.admin("POST", "/v1/clusters", map[string]any{"name": "cfg", "config": rt.srv.Kubeconfig})
		rt.want(created, 201, "")
		id := rt.id(created)
		if rt.srv.Kube.NodeListings() != before+1 {
			t.Fatal("POST did not list the nodes")
		}
		for _, m := range []map[string]any{created.obj(t), rt.admin("GET", fmt.Sprintf("/v1/clusters/%d", id), nil).obj(t),
			rt.admin("PUT", fmt.Sprintf("/v1/clusters/%d", id), map[string]any{"config": rt.srv.Kubeconfig}).obj(t),
			rt.admin("GET", "/v1/clusters?"+rockPg, nil).obj(t)["items"].([]any)[0].(map[string]any)} {
			rt.wantKeys(m, "id", "name", "description", "created_at", "updated_at")
		}
		if rt.srv.Kube.NodeListings() != before+2 {
			t.Fatal("PUT did not list the nodes")
		}
		rt.want(rt.admin("POST", "/v1/clusters", map[string]any{"name": "nocfg"}), 500, `{"error":[{}],"error_code":5000001,"switch":"default"}`)
		rt.want(rt.admin("PUT", fmt.Sprintf("/v1/clusters/%d", id), map[string]any{"description": "x"}), 500, `{"error":[{}],"error_code":5000001,"switch":"default"}`)
		dead := fakek8s.Kubeconfig("http://127.0.0.1:1", "x") // nothing listens on port 1
		rt.want(rt.admin("POST", "/v1/clusters", map[string]any{"name": "dead", "config": dead}), 400,
			`{"error":"the k8s config is not correct, please check it","error_code":40000019}`)
		rt.want(rt.admin("POST", "/v1/clusters", map[string]any{"name": "garbage", "config": "not: [a kubeconfig"}), 400,
			`{"error":"the k8s config is not correct, please check it","error_code":40000019}`)
	})
	t.Run("app PUT changes only description and answers without project_id; create ignores the Drone fields", func(t *testing.T) {
		a := rt.admin("POST", "/v1/apps", map[string]any{"name": "fields", "project_id": w.project, "full_name": "o/fields",
			"owner": "o", "gitlab_address": "http://g", "drone_repo_id": 7, "description": "d"}).obj(t)
		if a["full_name"] != "" || a["owner"] != "" || a["gitlab_address"] != "" || a["drone_repo_id"] != 0.0 || a["description"] != "d" {
			t.Fatalf("%v", a)
		}
		u := rt.admin("PUT", fmt.Sprintf("/v1/apps/%v", a["id"]), map[string]any{"name": "other", "description": "e", "owner": "x"}).obj(t)
		rt.wantKeys(u, "id", "name", "description", "created_at", "updated_at", "version")
		if u["name"] != "fields" || u["description"] != "e" {
			t.Fatalf("%v", u)
		}
	})
	t.Run("DELETE /v1/apps/{id}/config deletes every app config of every app", func(t *testing.T) {
		x, y := rt.world("cfg-x"), rt.world("cfg-y")
		rt.want(rt.admin("PUT", fmt.Sprintf("/v1/apps/%d/config", x.app), map[string]any{"project_env_id": x.pe, "config": "a: 1\n"}), 200, "")
		keep := rt.admin("PUT", fmt.Sprintf("/v1/apps/%d/config", y.app), map[string]any{"project_env_id": y.pe, "config": "b: 2\n"})
		rt.want(keep, 200, "")
		rt.wantKeys(keep.obj(t), "id", "config", "created_at", "updated_at", "version", "app_id", "project_env_id")
		rt.want(rt.admin("DELETE", fmt.Sprintf("/v1/apps/%d/config?pe_id=%d", x.app, x.pe), nil), 204, "")
		rt.want(rt.admin("GET", fmt.Sprintf("/v1/apps/%d/config?pe_id=%d", y.app, y.pe), nil), 404,
			fmt.Sprintf(`{"error":"App(ID: %d)'s config under project(ID: %d) was not found","error_code":40400014}`, y.app, y.pe))
	})
}

func TestRockUsers(t *testing.T) {
	rt := startRock(t, refserver.Options{})

	create := rt.admin("POST", "/v1/users", map[string]any{"name": "ann", "password": "Ann-pass1", "email": "ann@example.com", "role_id": 4})
	t.Run("create answers 200 with role_id and the role's fields", func(t *testing.T) {
		rt.want(create, 200, "")
		u := create.obj(t)
		rt.wantKeys(u, "id", "name", "email", "role_id", "created_at", "updated_at",
			"role_name", "role_description", "role_created_at", "role_updated_at", "role_version")
		if u["role_id"] != 4.0 {
			t.Fatalf("%v", u)
		}
	})
	id := rt.id(create)
	t.Run("email is required and must be valid; the password has rules", func(t *testing.T) {
		rt.want(rt.admin("POST", "/v1/users", map[string]any{"name": "bob", "password": "Bob-pass1", "role_id": 3}), 500, `{"error":[{}],"error_code":5000001,"switch":"default"}`)
		rt.want(rt.admin("POST", "/v1/users", map[string]any{"name": "bob", "password": "Bob-pass1", "email": "not-an-email", "role_id": 3}), 500, `{"error":[{}],"error_code":5000001,"switch":"default"}`)
		rt.want(rt.admin("POST", "/v1/users", map[string]any{"name": "bob", "password": "bob", "email": "bob@example.com", "role_id": 3}), 400,
			`{"error":"The password length is too short, greater than or equal 6","error_code":42200002}`)
		rt.want(rt.admin("POST", "/v1/users", map[string]any{"name": "bob", "password": "bobbobbob", "email": "bob@example.com", "role_id": 3}), 400,
			`{"error":"Password not strong","error_code":40000007}`)
		rt.want(rt.admin("POST", "/v1/users", map[string]any{"name": "bob", "password": "Bob-pass1", "email": "ann@example.com", "role_id": 3}), 400,
			`{"error":"Email ann@example.com was registered","error_code":40000009}`)
	})
	t.Run("there is no PUT /v1/users/{id}", func(t *testing.T) {
		if a := rt.admin("PUT", fmt.Sprintf("/v1/users/%d", id), map[string]any{"email": "x@example.com"}); a.status != 404 || a.body != "404 page not found" {
			t.Fatalf("%d %s", a.status, a.body)
		}
	})
	t.Run("password change is {old_password, new_password} and replaces the user's token", func(t *testing.T) {
		tok := rt.login("ann", "Ann-pass1")
		rt.want(rt.admin("PUT", fmt.Sprintf("/v1/users/%d/password", id), map[string]any{"password": "Ann-pass2"}), 500,
			`{"error":"context bind failed, Key: 'UpdateUserPwdReq.OldPassword' Error:Field validation for 'OldPassword' failed on the 'required' tag\nKey: 'UpdateUserPwdReq.NewPassword' Error:Field validation for 'NewPassword' failed on the 'required' tag","error_code":5000001,"switch":"default"}`)
		rt.want(rt.admin("PUT", fmt.Sprintf("/v1/users/%d/password", id), map[string]any{"old_password": "wrong-Pw1", "new_password": "Ann-pass2"}), 400,
			`{"error":"password incorrect","error_code":40000003}`)
		rt.want(rt.admin("PUT", fmt.Sprintf("/v1/users/%d/password", id), map[string]any{"old_password": "Ann-pass1", "new_password": "Ann-pass2"}), 200, "")
		rt.want(rt.call("GET", "/v1/projects?"+rockPg, nil, tok), 401, `"User info is malformed, please login again"`)
		time.Sleep(time.Second)
		rt.login("ann", "Ann-pass2")
	})
	t.Run("role change is {role_id}", func(t *testing.T) {
		u := rt.admin("PUT", fmt.Sprintf("/v1/users/%d/roles", id), map[string]any{"role_id": 3}).obj(t)
		if u["role_id"] != 3.0 {
			t.Fatalf("%v", u)
		}
		rt.want(rt.admin("PUT", fmt.Sprintf("/v1/users/%d/roles", id), map[string]any{"role": "developer"}), 500, `{"error":[{}],"error_code":5000001,"switch":"default"}`)
	})
	t.Run("delete answers 200 with a string", func(t *testing.T) {
		rt.want(rt.admin("DELETE", fmt.Sprintf("/v1/users/%d", id), nil), 200, `"Delete user successful"`)
		rt.want(rt.admin("DELETE", fmt.Sprintf("/v1/users/%d", id), nil), 404, fmt.Sprintf(`{"error":"User with id(%d) was not found","error_code":40400005}`, id))
	})
	t.Run("user lists take page_num and page_size and answer bind errors as text", func(t *testing.T) {
		rt.want(rt.admin("GET", "/v1/users", nil), 500,
			`{"error":"context bind failed, Key: 'GetPaginationReq.PageSize' Error:Field validation for 'PageSize' failed on the 'required' tag\nKey: 'GetPaginationReq.PageNum' Error:Field validation for 'PageNum' failed on the 'required' tag","error_code":5000001,"switch":"default"}`)
		if l := rt.admin("GET", "/v1/users?"+rockPg, nil).obj(t); l["total"] != 1.0 {
			t.Fatalf("%v", l)
		}
	})
	t.Run("roles are rows 1..4", func(t *testing.T) {
		l := rt.admin("GET", "/v1/roles?"+rockPg, nil).obj(t)
		var names []string
		for _, it := range l["items"].([]any) {
			names = append(names, it.(map[string]any)["name"].(string))
		}
		if !reflect.DeepEqual(names, []string{refserver.RoleAdmin, refserver.RoleSystemToolsAdmin, refserver.RoleDeveloper, refserver.RoleDeployer}) {
			t.Fatalf("%v", names)
		}
	})
}

func TestRockChartsDeploymentsInstances(t *testing.T) {
	rt := startRock(t, refserver.Options{})
	ctx := context.Background()
	w := rt.world("svc")
	for _, v := range []string{"1.0.0-master-aaaaaa", "1.1.0-master-bbbbbb"} {
		if err := rt.srv.ChartRepo().Upload(ctx, refserver.TestChart("svc", v)); err != nil {
			t.Fatal(err)
		}
	}
	broken, _ := refserver.BuildChart("svc", map[string]string{
		"Chart.yaml":         "apiVersion: v2\nname: svc\nversion: 2.0.0-master-cccccc\n",
		"templates/bad.yaml": "{{ .Values.x.y.z }}",
	})
	if err := rt.srv.ChartRepo().Upload(ctx, broken); err != nil {
		t.Fatal(err)
	}

	t.Run("there is no chart upload route", func(t *testing.T) {
		if a := rt.admin("POST", "/v1/charts", string(refserver.TestChart("svc", "9.9.9"))); a.status != 404 || a.body != "404 page not found" {
			t.Fatalf("%d %s", a.status, a.body)
		}
	})
	t.Run("chart versions are a bare array of ChartMuseum entries", func(t *testing.T) {
		for _, p := range []string{"/v1/charts/svc", fmt.Sprintf("/v1/apps/%d/charts", w.app)} {
			var list []map[string]any
			if err := json.Unmarshal([]byte(rt.admin("GET", p, nil).body), &list); err != nil || len(list) != 3 {
				t.Fatalf("%s: %v %v", p, list, err)
			}
			e := list[1]
			if e["version"] != "1.1.0-master-bbbbbb" || e["appVersion"] != "1.0" || e["name"] != "svc" || e["digest"] == "" ||
				e["created"] == "" || e["urls"].([]any)[0] != "charts/svc-1.1.0-master-bbbbbb.tgz" {
				t.Fatalf("%s: %v", p, e)
			}
		}
		one := rt.admin("GET", "/v1/charts/svc/versions/1.0.0-master-aaaaaa", nil).obj(t)
		if one["version"] != "1.0.0-master-aaaaaa" {
			t.Fatalf("%v", one)
		}
		rt.want(rt.admin("GET", "/v1/charts/nope", nil), 404, `{"error":"{\"error\":\"chart not found\"}","error_code":40400001}`)
	})

	dep := map[string]any{"app_id": w.app, "project_env_id": w.pe, "chart_name": "svc", "chart_version": "1.0.0-master-aaaaaa", "description": "first"}
	t.Run("a deployment needs an existing app and project-env", func(t *testing.T) { // deployments.jsonl 13-14
		rt.want(rt.admin("POST", "/v1/deployments", map[string]any{"app_id": w.app, "project_env_id": 999999, "chart_name": "svc", "chart_version": "1.0.0"}), 404,
			`{"error":"ProjectEnv with id(999999) was not found","error_code":40400009}`)
		rt.want(rt.admin("POST", "/v1/deployments", map[string]any{"app_id": 999999, "project_env_id": w.pe, "chart_name": "svc", "chart_version": "1.0.0"}), 404,
			`{"error":"App with id(999999) is not found","error_code":40400003}`)
	})
	rt.want(rt.admin("PUT", fmt.Sprintf("/v1/apps/%d/config", w.app), map[string]any{"project_env_id": w.pe, "config": "replicaCount: 2\n"}), 200, "")
	var depID int64
	t.Run("a deployment answers 201 without status or project_env_id", func(t *testing.T) {
		a := rt.admin("POST", "/v1/deployments", dep)
		rt.want(a, 201, "")
		d := a.obj(t)
		rt.wantKeys(d, "id", "name", "description", "created_at", "updated_at", "version", "chart_name", "chart_version", "app_id", "env_id")
		if d["name"] != "svc-ns-svc" || d["env_id"] != float64(w.env) {
			t.Fatalf("%v", d)
		}
		depID = int64(d["id"].(float64))
	})
	t.Run("the deployment row is written before Helm runs; a Helm failure is 500 50000006", func(t *testing.T) {
		before := rt.admin("GET", "/v1/deployments?"+rockPg, nil).obj(t)["total"].(float64)
		bad := map[string]any{"app_id": w.app, "project_env_id": w.pe, "chart_name": "svc", "chart_version": "2.0.0-master-cccccc"}
		a := rt.admin("POST", "/v1/deployments", bad)
		if e := a.obj(t); a.status != 500 || e["error_code"] != 50000006.0 || !strings.HasPrefix(e["error"].(string), "Error occurred when helm install chart: ") {
			t.Fatalf("%d %s", a.status, a.body)
		}
		missing := map[string]any{"app_id": w.app, "project_env_id": w.pe, "chart_name": "svc", "chart_version": "7.7.7"}
		if a := rt.admin("POST", "/v1/deployments", missing); a.status != 500 || !strings.Contains(a.body, "failed to fetch") {
			t.Fatalf("%d %s", a.status, a.body)
		}
		if after := rt.admin("GET", "/v1/deployments?"+rockPg, nil).obj(t)["total"].(float64); after != before+2 {
			t.Fatalf("deployments %v -> %v", before, after)
		}
	})
	t.Run("GET /v1/deployments ignores every filter", func(t *testing.T) {
		l := rt.admin("GET", "/v1/deployments?"+rockPg+"&app_id=999&project_env_id=999&chart_name=x&status=success", nil).obj(t)
		if l["total"] != 3.0 {
			t.Fatalf("%v", l)
		}
		for _, it := range l["items"].([]any) {
			if _, ok := it.(map[string]any)["status"]; ok {
				t.Fatal("a deployment has a status")
			}
		}
	})
	t.Run("deployment PUT requires chart, version, app and project-env", func(t *testing.T) {
		rt.want(rt.admin("PUT", fmt.Sprintf("/v1/deployments/%d", depID), map[string]any{"description": "x"}), 500,
			`{"error":[{},{},{},{}],"error_code":5000001,"switch":"default"}`)
		d := rt.admin("PUT", fmt.Sprintf("/v1/deployments/%d", depID), map[string]any{"description": "x", "app_id": w.app, "project_env_id": w.pe,
			"chart_name": "svc", "chart_version": "1.1.0-master-bbbbbb"}).obj(t)
		if d["description"] != "x" || d["chart_version"] != "1.1.0-master-bbbbbb" {
			t.Fatalf("%v", d)
		}
	})
	t.Run("GET /v1/instances ignores env_id and name; last updated first, ties in id order; items lack last_deployment, app_id and env_id", func(t *testing.T) {
		other := rt.world("other")
		rt.want(rt.admin("PUT", fmt.Sprintf("/v1/apps/%d/config", other.app), map[string]any{"project_env_id": other.pe, "config": "replicaCount: 1\n"}), 200, "")
		rt.want(rt.admin("POST", "/v1/deployments", map[string]any{"app_id": other.app, "project_env_id": other.pe, "chart_name": "svc", "chart_version": "1.0.0-master-aaaaaa"}), 201, "")
		l := rt.admin("GET", fmt.Sprintf("/v1/instances?%s&env_id=%d&name=svc-ns-svc", rockPg, w.env), nil).obj(t)
		items := l["items"].([]any)
		// both updated in the same second: id order (deployments.jsonl 29, 35)
		if l["total"] != 2.0 || items[0].(map[string]any)["env_namespace"] != "ns-svc" || items[1].(map[string]any)["env_namespace"] != "ns-other" {
			t.Fatalf("%v", l)
		}
		rt.wantKeys(items[0].(map[string]any), "id", "cluster_name", "env_namespace", "project_name", "name", "chart_name",
			"chart_version", "created_at", "updated_at", "version") // deployments.jsonl 27, 34
		one := rt.admin("GET", fmt.Sprintf("/v1/instances/%v", items[0].(map[string]any)["id"]), nil).obj(t)
		if one["app_id"] != float64(w.app) || one["env_id"] != float64(w.env) || one["chart_version"] != "1.0.0-master-aaaaaa" || one["last_deployment"] == nil {
			t.Fatalf("%v", one)
		}
		if l := rt.admin("GET", fmt.Sprintf("/v1/instances?%s&app_id=%d", rockPg, other.app), nil).obj(t); l["total"] != 1.0 {
			t.Fatalf("app_id: %v", l)
		}
	})
}
