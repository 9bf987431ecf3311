package client

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// rockFake answers like the public re-implementation of Galaxias as
// /work/shared/reference/galaxias-reimplementation.md and its source
// describe it (facts only): offset-less times, page_num/page_size lists
// that answer 500 without them, a token only in the cookie, errors as bare
// JSON strings and [{}] arrays, duplicates as 400, deletes it does not
// guard, nested-only project-envs, users with role_id, a config delete
// that deletes every config, bare ChartMuseum arrays, deployments written
// before Helm runs and lists that ignore their filters. It is small and
// in memory; every request is recorded.
type rockFake struct {
	*httptest.Server
	t *testing.T

	mu       sync.Mutex
	now      func() time.Time
	nextID   int64
	tokens   map[string]string // user name -> current token
	lastIat  map[string]int64  // user name -> second of the last login
	users    map[int64]*rockUser
	projects map[int64]map[string]any
	clusters map[int64]map[string]any
	envs     map[int64]map[string]any
	pes      map[int64]map[string]any
	apps     map[int64]map[string]any
	configs  map[int64]map[string]any // live app_conf rows
	deleted  map[int64]map[string]any // soft-deleted app_conf rows
	deploys  map[int64]map[string]any
	insts    map[int64]map[string]any
	charts   []map[string]any

	helmFails  bool          // the next deployments fail in "Helm" (after the row is written)
	tokenLife  time.Duration // exp claim
	dropDeploy int           // drop this many deployment POSTs after processing them
	requests   []string      // "METHOD path?query"
	bodies     []string      // request bodies, in order
	logins     int           // login requests so far
}

type rockUser struct {
	ID       int64
	Name     string
	Email    string
	Password string
	RoleID   int64
}

var rockRoles = map[int64]string{1: "admin", 2: "system_tools_admin", 3: "developer", 4: "deployer"}

const rockTime = "2006-01-02 15:04:05"

func newRockFake(t *testing.T) *rockFake {
	f := &rockFake{
		t: t, now: ticking(), nextID: 100,
		tokens: map[string]string{}, lastIat: map[string]int64{},
		users:    map[int64]*rockUser{1: {ID: 1, Name: "admin", Email: "admin@example.com", Password: "Admin-pw1", RoleID: 1}},
		projects: map[int64]map[string]any{}, clusters: map[int64]map[string]any{}, envs: map[int64]map[string]any{},
		pes: map[int64]map[string]any{}, apps: map[int64]map[string]any{}, configs: map[int64]map[string]any{},
		deleted: map[int64]map[string]any{}, deploys: map[int64]map[string]any{}, insts: map[int64]map[string]any{},
		tokenLife: time.Hour,
	}
	mux := http.NewServeMux()
	f.routes(mux)
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.requests = append(f.requests, r.Method+" "+r.URL.Path+"?"+r.URL.RawQuery)
		body, _ := io.ReadAll(r.Body)
		f.bodies = append(f.bodies, r.Method+" "+r.URL.Path+" "+string(body))
		r.Body = io.NopCloser(bytes.NewReader(body))
		f.mu.Unlock()
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *rockFake) seen(prefix string) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, r := range f.requests {
		if strings.HasPrefix(r, prefix) {
			out = append(out, r)
		}
	}
	return out
}

// body returns the body of the last request whose "METHOD path" is given.
func (f *rockFake) body(methodPath string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := len(f.bodies) - 1; i >= 0; i-- {
		if rest, ok := strings.CutPrefix(f.bodies[i], methodPath+" "); ok {
			return rest
		}
	}
	return ""
}

// ticking is a clock that moves one second per reading, so that no two
// logins fall into the same second.
func ticking() func() time.Time {
	t := time.Date(2026, 12, 1, 19, 38, 51, 0, time.UTC)
	return func() time.Time { t = t.Add(time.Second); return t }
}

func (f *rockFake) id() int64 { f.nextID++; return f.nextID }

func (f *rockFake) stamp(m map[string]any) map[string]any {
	now := f.now().Format(rockTime)
	if _, ok := m["created_at"]; !ok {
		m["created_at"] = now
	}
	m["updated_at"] = now
	return m
}

func jsonOut(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// rockErr is how the re-implementation's panics come out.
func rockErr(w http.ResponseWriter, status, code int, msg any) {
	jsonOut(w, status, map[string]any{"error": msg, "error_code": code})
}

// bindFail is a failed binding: {"error":[{}],"error_code":5000001,"switch":"default"}.
func bindFail(w http.ResponseWriter) {
	jsonOut(w, 500, map[string]any{"error": []any{map[string]any{}}, "error_code": 5000001, "switch": "default"})
}

func pathID(r *http.Request, name string) int64 {
	n, _ := strconv.ParseInt(r.PathValue(name), 10, 64)
	return n
}

func decode(r *http.Request) map[string]any {
	m := map[string]any{}
	_ = json.NewDecoder(r.Body).Decode(&m)
	return m
}

func num(m map[string]any, k string) int64 {
	switch v := m[k].(type) {
	case float64:
		return int64(v)
	case int64:
		return v
	}
	return 0
}

func str(m map[string]any, k string) string { s, _ := m[k].(string); return s }

// list answers a page, or 500 without page_num and page_size; it ignores
// every filter but query_field (on name).
func (f *rockFake) list(w http.ResponseWriter, r *http.Request, rows map[int64]map[string]any, keep func(map[string]any) bool) {
	q := r.URL.Query()
	pageNum, e1 := strconv.Atoi(q.Get("page_num"))
	size, e2 := strconv.Atoi(q.Get("page_size"))
	if e1 != nil || e2 != nil || pageNum < 1 || size < 1 {
		rockErr(w, 500, 5000001, "context bind failed, Key: 'GetPaginationReq.PageSize' Error:Field validation for 'PageSize' failed on the 'required' tag")
		return
	}
	var items []map[string]any
	for _, row := range rows {
		if (keep == nil || keep(row)) && strings.Contains(str(row, "name"), q.Get("query_field")) {
			items = append(items, row)
		}
	}
	sort.Slice(items, func(i, j int) bool { return num(items[i], "id") > num(items[j], "id") }) // newest first
	total := len(items)
	pages := (total + size - 1) / size
	if pages == 0 {
		pages = 1
	}
	start := min((pageNum-1)*size, total)
	page := items[start:min(start+size, total)]
	if page == nil {
		page = []map[string]any{}
	}
	jsonOut(w, 200, map[string]any{"page_num": pageNum, "page_size": size, "total": total, "pages": pages, "items": page})
}

func (f *rockFake) jwt(name string, iat int64) string {
	enc := base64.RawURLEncoding
	head := enc.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`))
	body, _ := json.Marshal(map[string]any{"username": name, "iat": iat, "exp": iat + int64(f.tokenLife/time.Second), "iss": "Rock Wang"})
	return head + "." + enc.EncodeToString(body) + ".c2ln"
}

// auth checks the cookie or the bearer token; a 401 is a bare JSON string.
func (f *rockFake) auth(w http.ResponseWriter, r *http.Request) bool {
	tok := ""
	if ck, err := r.Cookie("token"); err == nil {
		tok = ck.Value
	} else if h := r.Header.Get("Authorization"); strings.HasPrefix(h, "Bearer ") {
		tok = strings.TrimPrefix(h, "Bearer ")
	}
	for _, t := range f.tokens {
		if tok != "" && t == tok {
			return true
		}
	}
	jsonOut(w, 401, "Parse token failed , token is expired or malformed")
	return false
}

func (f *rockFake) userJSON(u *rockUser) map[string]any {
	return map[string]any{"id": u.ID, "name": u.Name, "email": u.Email, "role_id": u.RoleID, "role_name": rockRoles[u.RoleID],
		"created_at": "2026-12-01 19:38:51", "updated_at": "2026-12-01 19:38:51"}
}

func (f *rockFake) routes(mux *http.ServeMux) {
	h := func(pattern string, fn func(w http.ResponseWriter, r *http.Request)) {
		mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
			f.mu.Lock()
			defer f.mu.Unlock()
			if pattern != "POST /v1/auth/login" && !f.auth(w, r) {
				return
			}
			fn(w, r)
		})
	}
	mux.HandleFunc("GET /health", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok")) })

	h("POST /v1/auth/login", func(w http.ResponseWriter, r *http.Request) {
		f.logins++
		in := decode(r)
		var u *rockUser
		for _, cand := range f.users {
			if cand.Name == str(in, "name") {
				u = cand
			}
		}
		if u == nil {
			rockErr(w, 500, 5000001, map[string]any{}) // gorm's "record not found" marshals as {}
			return
		}
		if u.Password != str(in, "password") {
			rockErr(w, 400, 40000003, "password incorrect")
			return
		}
		iat := f.now().Unix()
		if f.lastIat[u.Name] == iat { // same token as stored: the handler dereferences nil
			rockErr(w, 500, 5000001, "runtime error: invalid memory address or nil pointer dereference")
			return
		}
		f.lastIat[u.Name] = iat
		f.tokens[u.Name] = f.jwt(u.Name, iat)
		http.SetCookie(w, &http.Cookie{Name: "token", Value: f.tokens[u.Name], Path: "/", HttpOnly: true})
		jsonOut(w, 200, f.userJSON(u))
	})

	// users
	h("GET /v1/users", func(w http.ResponseWriter, r *http.Request) {
		rows := map[int64]map[string]any{}
		for id, u := range f.users {
			rows[id] = map[string]any{"id": u.ID, "name": u.Name, "email": u.Email, "role_id": u.RoleID,
				"created_at": "2026-12-01 19:38:51", "updated_at": "2026-12-01 19:38:51"}
		}
		f.list(w, r, rows, nil)
	})
	h("GET /v1/roles", func(w http.ResponseWriter, r *http.Request) {
		rows := map[int64]map[string]any{}
		for id, name := range rockRoles {
			rows[id] = map[string]any{"id": id, "name": name}
		}
		f.list(w, r, rows, nil)
	})
	h("POST /v1/users", func(w http.ResponseWriter, r *http.Request) {
		in := decode(r)
		if str(in, "name") == "" || str(in, "password") == "" || !strings.Contains(str(in, "email"), "@") || num(in, "role_id") == 0 {
			bindFail(w)
			return
		}
		for _, u := range f.users {
			if u.Name == str(in, "name") {
				rockErr(w, 400, 40000001, fmt.Sprintf("user with name(%v) is alerady exist", u.Name))
				return
			}
		}
		u := &rockUser{ID: f.id(), Name: str(in, "name"), Email: str(in, "email"), Password: str(in, "password"), RoleID: num(in, "role_id")}
		f.users[u.ID] = u
		jsonOut(w, 200, f.userJSON(u))
	})
	h("GET /v1/users/{id}", func(w http.ResponseWriter, r *http.Request) {
		u := f.users[pathID(r, "id")]
		if u == nil {
			rockErr(w, 500, 5000001, map[string]any{})
			return
		}
		jsonOut(w, 200, f.userJSON(u))
	})
	h("DELETE /v1/users/{id}", func(w http.ResponseWriter, r *http.Request) {
		if f.users[pathID(r, "id")] == nil {
			rockErr(w, 400, 40000005, fmt.Sprintf("User with id(%v) was not found", pathID(r, "id")))
			return
		}
		delete(f.users, pathID(r, "id"))
		jsonOut(w, 200, "Delete user successful")
	})
	h("PUT /v1/users/{id}/password", func(w http.ResponseWriter, r *http.Request) {
		u, in := f.users[pathID(r, "id")], decode(r)
		switch {
		case str(in, "new_password") == "":
			rockErr(w, 500, 5000001, "context bind failed, Key: 'UpdateUserPwdReq.NewPassword' Error:Field validation for 'NewPassword' failed on the 'required' tag")
		case str(in, "old_password") != u.Password:
			rockErr(w, 400, 40000003, "password incorrect")
		default:
			u.Password = str(in, "new_password")
			delete(f.tokens, u.Name)
			jsonOut(w, 200, f.userJSON(u))
		}
	})
	h("PUT /v1/users/{id}/roles", func(w http.ResponseWriter, r *http.Request) {
		in := decode(r)
		if rockRoles[num(in, "role_id")] == "" {
			bindFail(w)
			return
		}
		f.users[pathID(r, "id")].RoleID = num(in, "role_id")
		jsonOut(w, 200, "Update user role successful")
	})

	// projects: PUT ignores the name; DELETE guards nothing
	h("GET /v1/projects", func(w http.ResponseWriter, r *http.Request) { f.list(w, r, f.projects, nil) })
	h("POST /v1/projects", func(w http.ResponseWriter, r *http.Request) {
		in := decode(r)
		for _, p := range f.projects {
			if p["name"] == in["name"] {
				rockErr(w, 400, 40000015, fmt.Sprintf("Project with name(%v) already exists", in["name"]))
				return
			}
		}
		p := f.stamp(map[string]any{"id": f.id(), "name": in["name"], "description": in["description"]})
		f.projects[num(p, "id")] = p
		jsonOut(w, 201, p)
	})
	h("GET /v1/projects/{id}", getOne(f.projects, "id", 40400004, "Project"))
	h("PUT /v1/projects/{id}", func(w http.ResponseWriter, r *http.Request) {
		p := f.projects[pathID(r, "id")]
		p["description"] = decode(r)["description"]
		jsonOut(w, 200, f.stamp(p))
	})
	h("DELETE /v1/projects/{id}", func(w http.ResponseWriter, r *http.Request) {
		delete(f.projects, pathID(r, "id"))
		w.WriteHeader(204)
	})
	h("GET /v1/projects/{id}/apps", func(w http.ResponseWriter, r *http.Request) {
		pid := pathID(r, "id")
		f.list(w, r, f.apps, func(a map[string]any) bool { return num(a, "project_id") == pid })
	})

	// clusters: never answer config; config required
	clusterOut := func(c map[string]any) map[string]any {
		out := map[string]any{}
		for k, v := range c {
			if k != "config" {
				out[k] = v
			}
		}
		return out
	}
	h("GET /v1/clusters", func(w http.ResponseWriter, r *http.Request) {
		rows := map[int64]map[string]any{}
		for id, c := range f.clusters {
			rows[id] = clusterOut(c)
		}
		f.list(w, r, rows, nil)
	})
	h("POST /v1/clusters", func(w http.ResponseWriter, r *http.Request) {
		in := decode(r)
		if str(in, "config") == "" {
			bindFail(w)
			return
		}
		c := f.stamp(map[string]any{"id": f.id(), "name": in["name"], "description": in["description"], "config": in["config"]})
		f.clusters[num(c, "id")] = c
		jsonOut(w, 201, clusterOut(c))
	})
	h("GET /v1/clusters/{id}", func(w http.ResponseWriter, r *http.Request) {
		if c := f.clusters[pathID(r, "id")]; c != nil {
			jsonOut(w, 200, clusterOut(c))
			return
		}
		rockErr(w, 404, 40400007, "Cluster was not found")
	})
	h("PUT /v1/clusters/{id}", func(w http.ResponseWriter, r *http.Request) {
		in, c := decode(r), f.clusters[pathID(r, "id")]
		if str(in, "config") == "" {
			bindFail(w)
			return
		}
		c["description"], c["config"] = in["description"], in["config"]
		jsonOut(w, 200, clusterOut(f.stamp(c)))
	})
	h("DELETE /v1/clusters/{id}", func(w http.ResponseWriter, r *http.Request) {
		delete(f.clusters, pathID(r, "id"))
		w.WriteHeader(204)
	})
	h("GET /v1/clusters/{id}/envs", func(w http.ResponseWriter, r *http.Request) {
		cid := pathID(r, "id")
		f.list(w, r, f.envs, func(e map[string]any) bool { return num(e, "cluster_id") == cid })
	})

	// envs
	h("POST /v1/envs", func(w http.ResponseWriter, r *http.Request) {
		in := decode(r)
		e := f.stamp(map[string]any{"id": f.id(), "cluster_id": num(in, "cluster_id"), "namespace": in["namespace"], "description": in["description"]})
		f.envs[num(e, "id")] = e
		jsonOut(w, 201, e)
	})
	h("GET /v1/envs/{id}", getOne(f.envs, "id", 40400008, "Env"))
	h("DELETE /v1/envs/{id}", func(w http.ResponseWriter, r *http.Request) {
		delete(f.envs, pathID(r, "id")) // whatever binds it
		w.WriteHeader(204)
	})

	// project-envs: nested only, the path's project ignored, name required
	h("POST /v1/projects/{id}/project-envs", func(w http.ResponseWriter, r *http.Request) {
		in := decode(r)
		if str(in, "name") == "" {
			bindFail(w)
			return
		}
		for _, pe := range f.pes {
			if pe["name"] == in["name"] && num(pe, "env_id") == num(in, "env_id") && num(pe, "project_id") == pathID(r, "id") {
				rockErr(w, 400, 40000022, "ProjectEnv already exists")
				return
			}
		}
		pe := f.stamp(map[string]any{"id": f.id(), "project_id": pathID(r, "id"), "env_id": num(in, "env_id"), "name": in["name"], "description": in["description"]})
		f.pes[num(pe, "id")] = pe
		jsonOut(w, 201, pe)
	})
	h("GET /v1/projects/{id}/project-envs", func(w http.ResponseWriter, r *http.Request) {
		pid := pathID(r, "id")
		f.list(w, r, f.pes, func(pe map[string]any) bool { return num(pe, "project_id") == pid })
	})
	h("GET /v1/projects/{id}/project-envs/{pe}", getOne(f.pes, "pe", 40400009, "ProjectEnv"))
	h("PUT /v1/projects/{id}/project-envs/{pe}", func(w http.ResponseWriter, r *http.Request) {
		pe := f.pes[pathID(r, "pe")]
		pe["description"] = decode(r)["description"]
		jsonOut(w, 200, f.stamp(pe))
	})
	h("DELETE /v1/projects/{id}/project-envs/{pe}", func(w http.ResponseWriter, r *http.Request) {
		peID := pathID(r, "pe")
		for _, c := range f.configs {
			if num(c, "project_env_id") == peID {
				rockErr(w, 412, 41200008, fmt.Sprintf("Project Env with id %v has APP CONFIG dependence, please clear first", peID))
				return
			}
		}
		delete(f.pes, peID)
		w.WriteHeader(204)
	})

	// apps: GET /v1/apps needs id; PUT changes only the description and its
	// answer lacks project_id
	h("GET /v1/apps", func(w http.ResponseWriter, r *http.Request) {
		pid, err := strconv.ParseInt(r.URL.Query().Get("id"), 10, 64)
		if err != nil {
			bindFail(w)
			return
		}
		f.list(w, r, f.apps, func(a map[string]any) bool { return num(a, "project_id") == pid })
	})
	h("POST /v1/apps", func(w http.ResponseWriter, r *http.Request) {
		in := decode(r)
		a := f.stamp(map[string]any{"id": f.id(), "project_id": num(in, "project_id"), "name": in["name"], "description": in["description"]})
		f.apps[num(a, "id")] = a
		jsonOut(w, 201, a)
	})
	h("GET /v1/apps/{id}", getOne(f.apps, "id", 40400003, "App"))
	h("PUT /v1/apps/{id}", func(w http.ResponseWriter, r *http.Request) {
		a := f.apps[pathID(r, "id")]
		a["description"] = decode(r)["description"]
		f.stamp(a)
		jsonOut(w, 200, map[string]any{"id": a["id"], "name": a["name"], "description": a["description"], "created_at": a["created_at"], "updated_at": a["updated_at"]})
	})
	h("DELETE /v1/apps/{id}", func(w http.ResponseWriter, r *http.Request) {
		delete(f.apps, pathID(r, "id")) // its configs stay
		w.WriteHeader(204)
	})
	h("GET /v1/apps/{id}/charts", func(w http.ResponseWriter, r *http.Request) {
		a := f.apps[pathID(r, "id")]
		out := []map[string]any{}
		for _, ch := range f.charts {
			if ch["name"] == a["name"] {
				out = append(out, ch)
			}
		}
		jsonOut(w, 200, out)
	})

	// app config: the delete deletes every config of every app
	configFor := func(appID, peID int64) map[string]any {
		for _, c := range f.configs {
			if num(c, "app_id") == appID && num(c, "project_env_id") == peID {
				return c
			}
		}
		return nil
	}
	h("GET /v1/apps/{id}/config", func(w http.ResponseWriter, r *http.Request) {
		pe, _ := strconv.ParseInt(r.URL.Query().Get("pe_id"), 10, 64)
		if f.apps[pathID(r, "id")] == nil {
			rockErr(w, 404, 40400003, "App was not found")
			return
		}
		if c := configFor(pathID(r, "id"), pe); c != nil {
			jsonOut(w, 200, c)
			return
		}
		rockErr(w, 404, 40400014, "App's config was not found")
	})
	h("PUT /v1/apps/{id}/config", func(w http.ResponseWriter, r *http.Request) {
		in := decode(r)
		if str(in, "config") == "" || num(in, "project_env_id") == 0 {
			bindFail(w)
			return
		}
		c := configFor(pathID(r, "id"), num(in, "project_env_id"))
		if c == nil {
			c = map[string]any{"id": f.id(), "app_id": pathID(r, "id"), "project_env_id": num(in, "project_env_id")}
			f.configs[num(c, "id")] = c
		}
		c["config"] = in["config"]
		jsonOut(w, 200, f.stamp(c))
	})
	h("DELETE /v1/apps/{id}/config", func(w http.ResponseWriter, _ *http.Request) {
		for id, c := range f.configs { // a delete without a key
			f.deleted[id] = c
			delete(f.configs, id)
		}
		w.WriteHeader(204)
	})

	// charts: bare ChartMuseum arrays
	h("GET /v1/charts/{name}", func(w http.ResponseWriter, r *http.Request) {
		out := []map[string]any{}
		for _, ch := range f.charts {
			if ch["name"] == r.PathValue("name") {
				out = append(out, ch)
			}
		}
		if len(out) == 0 {
			rockErr(w, 404, 40400001, `{"error":"chart not found"}`)
			return
		}
		jsonOut(w, 200, out)
	})
	h("GET /v1/charts/{name}/versions/{version}", func(w http.ResponseWriter, r *http.Request) {
		for _, ch := range f.charts {
			if ch["name"] == r.PathValue("name") && ch["version"] == r.PathValue("version") {
				jsonOut(w, 200, ch)
				return
			}
		}
		rockErr(w, 404, 40400001, `{"error":"improper constraint"}`)
	})

	// deployments: row first, then Helm; no status, no project_env_id;
	// lists ignore filters
	h("POST /v1/deployments", func(w http.ResponseWriter, r *http.Request) {
		in := decode(r)
		appID, peID := num(in, "app_id"), num(in, "project_env_id")
		if configFor(appID, peID) == nil {
			rockErr(w, 404, 40400014, "App's config was not found")
			return
		}
		pe := f.pes[peID]
		env := f.envs[num(pe, "env_id")]
		d := f.stamp(map[string]any{"id": f.id(), "name": str(in, "chart_name") + "-" + str(env, "namespace"),
			"description": in["description"], "chart_name": in["chart_name"], "chart_version": in["chart_version"],
			"app_id": appID, "env_id": num(pe, "env_id")})
		f.deploys[num(d, "id")] = d
		if !f.helmFails {
			f.upsertInstance(d, pe, env)
		}
		switch {
		case f.dropDeploy > 0: // processed, then the answer is lost
			f.dropDeploy--
			hj, _ := w.(http.Hijacker)
			conn, _, _ := hj.Hijack()
			_ = conn.Close()
		case f.helmFails:
			rockErr(w, 500, 50000006, "Error: UPGRADE FAILED: render error")
		default:
			jsonOut(w, 201, d)
		}
	})
	h("GET /v1/deployments", func(w http.ResponseWriter, r *http.Request) { f.list(w, r, f.deploys, nil) })
	h("GET /v1/deployments/{id}", getOne(f.deploys, "id", 40400011, "Deployment"))

	// instances: filters ignored, no app_id/env_id/last_deployment in
	// items; by id they are answered (deployments.jsonl 27, 36)
	h("GET /v1/instances", func(w http.ResponseWriter, r *http.Request) {
		rows := map[int64]map[string]any{}
		for id, in := range f.insts {
			out := map[string]any{}
			for k, v := range in {
				if k != "app_id" && k != "env_id" && k != "last_deployment" {
					out[k] = v
				}
			}
			rows[id] = out
		}
		f.list(w, r, rows, nil)
	})
	h("GET /v1/instances/{id}", getOne(f.insts, "id", 40400012, "Instance"))
	h("DELETE /v1/instances/{id}", func(w http.ResponseWriter, r *http.Request) {
		delete(f.insts, pathID(r, "id"))
		w.WriteHeader(204)
	})
}

// getOne answers the row whose id is the path parameter param, or the
// re-implementation's 404.
func getOne(rows map[int64]map[string]any, param string, code int, what string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		if row := rows[pathID(r, param)]; row != nil {
			jsonOut(w, 200, row)
			return
		}
		rockErr(w, 404, code, what+" was not found")
	}
}

// upsertInstance is what a successful Helm run leaves: the instance of the
// release, unique on (cluster, namespace, project, release).
func (f *rockFake) upsertInstance(d, pe, env map[string]any) {
	cluster := str(f.clusters[num(env, "cluster_id")], "name")
	project := str(f.projects[num(pe, "project_id")], "name")
	for _, in := range f.insts {
		if in["cluster_name"] == cluster && in["env_namespace"] == env["namespace"] && in["project_name"] == project && in["name"] == d["name"] {
			in["chart_version"], in["chart_name"], in["last_deployment"] = d["chart_version"], d["chart_name"], d["id"]
			return
		}
	}
	in := f.stamp(map[string]any{"id": f.id(), "cluster_name": cluster, "env_namespace": env["namespace"], "project_name": project,
		"name": d["name"], "chart_name": d["chart_name"], "chart_version": d["chart_version"], "last_deployment": d["id"],
		"app_id": d["app_id"], "env_id": d["env_id"]})
	f.insts[num(in, "id")] = in
}
