package refserver_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/galaxias/terraform-provider-galaxias/internal/testing/refserver"
)

// What the real re-implementation answered about role writes, a role's
// users and the GitLab access route (rock-transcripts users.jsonl 37,
// 53-60), held through the server's own reads.
func TestRockRolesAsRecorded(t *testing.T) {
	rt := startRock(t, refserver.Options{})
	user := func(name string, role int) int64 {
		return rt.id(rt.admin("POST", "/v1/users", map[string]any{"name": name, "password": "Rec-pass1", "email": name + "@example.com", "role_id": role}))
	}

	t.Run("a role's users: a page of its live users, required page_num and page_size", func(t *testing.T) {
		rt := rt.in(t)
		a, b := user("dep-a", 4), user("dep-b", 4)
		user("dev-c", 3)
		gone := user("dep-gone", 4)
		rt.want(rt.admin("DELETE", fmt.Sprintf("/v1/users/%d", gone), nil), 200, "")
		time.Sleep(1100 * time.Millisecond) // updated_at has whole seconds
		rt.want(rt.admin("PUT", fmt.Sprintf("/v1/users/%d/password", a), map[string]any{"old_password": "Rec-pass1", "new_password": "Rec-pass2"}), 200, "")
		l := rt.admin("GET", "/v1/roles/4/users?page_num=1&page_size=5", nil)
		rt.want(l, 200, "")
		page := l.obj(t)
		items := page["items"].([]any)
		if page["total"] != 2.0 || page["pages"] != 1.0 || len(items) != 2 {
			t.Fatalf("%s", l.body)
		}
		first := items[0].(map[string]any)
		rt.wantKeys(first, "id", "name", "email", "role_id", "created_at", "updated_at", "version")
		if first["id"] != float64(a) || items[1].(map[string]any)["id"] != float64(b) { // the updated user first
			t.Fatalf("order: %s", l.body)
		}
		rt.want(rt.admin("GET", "/v1/roles/4/users", nil), 500, `{"error":[{},{}],"error_code":5000001,"switch":"default"}`)
	})

	t.Run("create: 201; an existing name answers the existing role unchanged", func(t *testing.T) {
		rt := rt.in(t)
		a := rt.admin("POST", "/v1/roles", map[string]any{"name": "rec-role", "description": "recorded role"})
		rt.want(a, 201, "")
		role := a.obj(t)
		rt.wantKeys(role, "id", "name", "description", "created_at", "updated_at", "version")
		again := rt.admin("POST", "/v1/roles", map[string]any{"name": "rec-role", "description": "other"})
		rt.want(again, 201, "")
		if g := again.obj(t); g["id"] != role["id"] || g["description"] != "recorded role" {
			t.Fatalf("%s", again.body)
		}
		l := rt.admin("GET", "/v1/roles?page_num=1&page_size=100&query_field=rec-role", nil).obj(t)
		if l["total"] != 1.0 {
			t.Fatalf("two roles of one name: %v", l)
		}
	})

	t.Run("update changes only the description; delete is 204, then 404", func(t *testing.T) {
		rt := rt.in(t)
		id := rt.id(rt.admin("POST", "/v1/roles", map[string]any{"name": "upd-role", "description": "before"}))
		a := rt.admin("PUT", fmt.Sprintf("/v1/roles/%d", id), map[string]any{"name": "renamed", "description": "changed"})
		rt.want(a, 200, "")
		if g := a.obj(t); g["name"] != "upd-role" || g["description"] != "changed" || g["updated_at"] != g["created_at"] {
			t.Fatalf("answer %s", a.body)
		}
		g := rt.admin("GET", fmt.Sprintf("/v1/roles/%d", id), nil).obj(t)
		if g["name"] != "upd-role" || g["description"] != "changed" || g["updated_at"] == g["created_at"] {
			t.Fatalf("read back %v", g)
		}
		d := rt.admin("DELETE", fmt.Sprintf("/v1/roles/%d", id), nil)
		if d.status != 204 || d.body != "" {
			t.Fatalf("%d %q", d.status, d.body)
		}
		rt.want(rt.admin("GET", fmt.Sprintf("/v1/roles/%d", id), nil), 404,
			fmt.Sprintf(`{"error":"Role with id(%d) was not found","error_code":40400006}`, id))
	})

	t.Run("GitLab access with no GitLab listening: 500 with the *url.Error", func(t *testing.T) {
		rt := rt.in(t)
		id := user("rec-access", 3)
		rt.want(rt.admin("PUT", fmt.Sprintf("/v1/users/%d/access", id), map[string]any{"gitlab_token": "glpat-x"}), 500,
			`{"error":{"Op":"Post","URL":"http://127.0.0.1:18100/api/authorize","Err":{"Op":"dial","Net":"tcp","Source":null,`+
				`"Addr":{"IP":"127.0.0.1","Port":18100,"Zone":""},"Err":{"Syscall":"connect","Err":111}}},"error_code":5000001,"switch":"default"}`)
	})
}

// in is rt reporting to t (a subtest), so that one failing subtest does not
// stop the others.
func (rt *rockT) in(t *testing.T) *rockT {
	c := *rt
	c.t = t
	return &c
}
