package refserver_test

import (
	"fmt"
	"testing"

	"github.com/galaxias/terraform-provider-galaxias/internal/testing/refserver"
)

// What the real re-implementation answered about users (rock-transcripts
// users.jsonl 12-50, auth.jsonl 4): soft-deleted users stay readable by id,
// leave the list, cannot log in, and keep their name forever; the role
// route looks the role up by the user's id after applying the change.
func TestRockUsersAsRecorded(t *testing.T) {
	rt := startRock(t, refserver.Options{})
	user := func(name, email string, role int) int64 {
		return rt.id(rt.admin("POST", "/v1/users", map[string]any{"name": name, "password": "Rec-pass1", "email": email, "role_id": role}))
	}
	// ids 2..4 would find a role with the user's id: get past them.
	for i := range 3 {
		user(fmt.Sprintf("filler-%d", i), fmt.Sprintf("filler-%d@example.com", i), 3)
	}
	id := user("rec-user-1", "rec-user-1@example.com", 4)
	other := user("rec-user-2", "rec-user-2@example.com", 3)
	if id <= 4 {
		t.Fatalf("user id %d: the test needs an id above the role ids", id)
	}
	get := func(id int64) map[string]any {
		t.Helper()
		a := rt.admin("GET", fmt.Sprintf("/v1/users/%d", id), nil)
		rt.want(a, 200, "")
		return a.obj(t)
	}
	roleNotFound := fmt.Sprintf(`{"error":"Role with id(%d) was not found","error_code":40400006}`, id)
	userNotFound := fmt.Sprintf(`{"error":"User with id(%d) was not found","error_code":40400005}`, id)

	t.Run("a user's answer carries its role's fields", func(t *testing.T) {
		rt.wantKeys(get(id), "id", "name", "email", "role_id", "created_at", "updated_at",
			"role_name", "role_description", "role_created_at", "role_updated_at", "role_version")
	})
	t.Run("an id that never existed is 500 {}", func(t *testing.T) {
		rt.want(rt.admin("GET", "/v1/users/999999", nil), 500, `{"error":{},"error_code":5000001,"switch":"default"}`)
		rt.want(rt.admin("PUT", "/v1/users/999999/roles", map[string]any{"role_id": 3}), 404,
			`{"error":"User with id(999999) was not found","error_code":40400005}`)
		rt.want(rt.admin("DELETE", "/v1/users/999999", nil), 404,
			`{"error":"User with id(999999) was not found","error_code":40400005}`)
	})
	t.Run("a role change is applied, then answered 404 for a role with the user's id", func(t *testing.T) {
		rt.want(rt.admin("PUT", fmt.Sprintf("/v1/users/%d/roles", id), map[string]any{"role_id": 3}), 404, roleNotFound)
		if u := get(id); u["role_id"] != 3.0 || u["role_name"] != "developer" {
			t.Fatalf("the change was not applied: %v", u)
		}
		rt.want(rt.admin("PUT", fmt.Sprintf("/v1/users/%d/roles", id), map[string]any{"role_id": 99}), 404, roleNotFound)
		if u := get(id); u["role_id"] != 0.0 || u["role_name"] != "" || u["role_created_at"] != "0001-01-01 00:00:00" {
			t.Fatalf("an unknown role: %v", u)
		}
		rt.want(rt.admin("PUT", fmt.Sprintf("/v1/users/%d/roles", id), map[string]any{"role_id": 4}), 404, roleNotFound)
		rt.want(rt.admin("PUT", "/v1/users/1/roles", map[string]any{"role_id": 3}), 400,
			`{"error":"admin user's admin property can't be changed","error_code":40000021}`)
	})

	tok := rt.login("rec-user-1", "Rec-pass1")
	rt.want(rt.admin("DELETE", fmt.Sprintf("/v1/users/%d", id), nil), 200, `"Delete user successful"`)

	t.Run("a deleted user is still answered by id, not listed", func(t *testing.T) {
		if u := get(id); u["name"] != "rec-user-1" || u["role_id"] != 4.0 {
			t.Fatalf("%v", u)
		}
		l := rt.admin("GET", "/v1/users?page_num=1&page_size=5&query_field=rec-user", nil).obj(t)
		if l["total"] != 1.0 || l["items"].([]any)[0].(map[string]any)["id"] != float64(other) {
			t.Fatalf("list: %v", l)
		}
	})
	t.Run("a deleted user cannot log in; its token is not valid", func(t *testing.T) {
		rt.want(rt.call("POST", "/v1/auth/login", map[string]string{"name": "rec-user-1", "password": "Rec-pass1"}, ""), 500,
			`{"error":{},"error_code":5000001,"switch":"default"}`)
		rt.want(rt.call("GET", "/v1/projects?page_num=1&page_size=1", nil, tok), 404, `"User token is not valid, please login later"`)
	})
	t.Run("role, password and delete of a deleted user are 404 40400005", func(t *testing.T) {
		rt.want(rt.admin("PUT", fmt.Sprintf("/v1/users/%d/roles", id), map[string]any{"role_id": 3}), 404, userNotFound)
		rt.want(rt.admin("PUT", fmt.Sprintf("/v1/users/%d/password", id), map[string]any{"old_password": "Rec-pass1", "new_password": "Rec-pass2"}), 404, userNotFound)
		rt.want(rt.admin("DELETE", fmt.Sprintf("/v1/users/%d", id), nil), 404, userNotFound)
	})
	t.Run("a deleted user's name is never free again; its email is", func(t *testing.T) {
		rt.want(rt.admin("POST", "/v1/users", map[string]any{"name": "rec-user-1", "password": "Rec-pass1", "email": "rec-user-1c@example.com", "role_id": 4}), 400,
			`{"error":"user with name(rec-user-1) already exists","error_code":40000001}`)
		rt.want(rt.admin("POST", "/v1/users", map[string]any{"name": "rec-user-1c", "password": "Rec-pass1", "email": "rec-user-1@example.com", "role_id": 4}), 200, "")
	})
}
