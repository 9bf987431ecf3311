package refserver_test

import "strconv"

// accepted lists the differences between the rock dialect and the
// recordings that stay, each with what the replay answers (status, its
// error_code, and the differences exactly as compare words them) and why.
// Reasons starting "users23:" are dialect defects that branch owns
// (rock_users.go and rock_auth.go); "condition:" would mark a condition of
// the recording the reference server has no switch for (the replay sets
// the ones it has: chart repository down, Tiller down; see replay_env_test.go).
var accepted = map[inputKey]acceptedDiff{}

type acceptedDiff struct {
	status int
	code   string // the replayed error_code, "none" when absent
	diff   string
	reason string
}

func init() {
	for _, e := range acceptedList {
		k := inputKey{e.file, e.seq}
		if _, dup := accepted[k]; dup {
			panic("accepted: two entries for " + e.file + " seq " + strconv.Itoa(e.seq))
		}
		accepted[k] = acceptedDiff{e.status, e.code, e.diff, e.reason}
	}
}

const (
	rFormLogin = "users23: the login binds by Content-Type (gin ShouldBind): a form-encoded body binds no field " +
		"(the struct has only json tags), so both required fields fail: error [{}, {}], not a JSON syntax error {}"
	rLogout     = "users23: POST /v1/auth/logout is missing: 204, empty body, Set-Cookie refresh then clear; the token keeps working"
	rReset      = "users23: POST /v1/auth/reset is missing (no auth): unknown e-mail -> 500 {error: {}}, invalid e-mail -> 500 [{}]"
	rPwdReset   = "users23: PUT /v1/auth/pwd is missing (no auth): unknown e-mail -> 400 40000011 \"Email <e-mail> not found\""
	rRoleChange = "replay: rock looks the role up by the user's id after applying a role change (recorded 404 40400006 " +
		"for user 26); the replay's fresh database gives that user an id that is also a role's id (1-4), so the lookup " +
		"succeeds and the answer is 200 — the rule itself is held by TestRockUsersAsRecorded with a user id above 4"
	rGitlabAccess = "users23: PUT /v1/users/{id}/access is missing: with no GitLab listening it answers 500 with the *url.Error " +
		"({Op, URL, Err}) as error"
	rRoleUsers  = "users23: GET /v1/roles/{id}/users is missing: a page of the role's users (page_num, page_size required)"
	rRoleWrites = "users23: POST /v1/roles (201; an existing name returns the existing role), PUT /v1/roles/{id} " +
		"(description only), DELETE /v1/roles/{id} (204) are missing"
)

var acceptedList = []struct {
	file   string
	seq    int
	status int
	code   string
	diff   string
	reason string
}{
	{"auth.jsonl", 8, 500, "5000001", "$.error is object (recorded array)", rFormLogin},
	{"auth.jsonl", 25, 404, "none", "status 404 (recorded 204); body text (recorded empty)", rLogout},
	{"auth.jsonl", 28, 401, "none", "status 401 (recorded 500); error_code none (recorded 5000001); body json string (recorded json)", rReset},
	{"auth.jsonl", 29, 401, "none", "status 401 (recorded 500); error_code none (recorded 5000001); body json string (recorded json)", rReset},
	{"auth.jsonl", 30, 401, "none", "status 401 (recorded 400); error_code none (recorded 40000011); body json string (recorded json)", rPwdReset},
	{"users.jsonl", 18, 200, "none", "status 200 (recorded 404); error_code none (recorded 40400006); $ lacks error,error_code; $ has extra created_at,email,id,name,role_created_at,role_description,role_id,role_name,role_updated_at,role_version,updated_at", rRoleChange},
	{"users.jsonl", 20, 200, "none", "status 200 (recorded 404); error_code none (recorded 40400006); $ lacks error,error_code; $ has extra created_at,email,id,name,role_created_at,role_description,role_id,role_name,role_updated_at,role_version,updated_at", rRoleChange},
	{"users.jsonl", 22, 200, "none", "status 200 (recorded 404); error_code none (recorded 40400006); $ lacks error,error_code; $ has extra created_at,email,id,name,role_created_at,role_description,role_id,role_name,role_updated_at,role_version,updated_at", rRoleChange},
	{"users.jsonl", 37, 404, "none", "status 404 (recorded 500); error_code none (recorded 5000001); body text (recorded json)", rGitlabAccess},
	{"users.jsonl", 53, 404, "none", "status 404 (recorded 200); body text (recorded json)", rRoleUsers},
	{"users.jsonl", 54, 404, "none", "status 404 (recorded 500); error_code none (recorded 5000001); body text (recorded json)", rRoleUsers},
	{"users.jsonl", 55, 404, "none", "status 404 (recorded 201); body text (recorded json)", rRoleWrites},
	{"users.jsonl", 56, 404, "none", "status 404 (recorded 201); body text (recorded json)", rRoleWrites},
	{"users.jsonl", 57, 404, "none", "status 404 (recorded 200); body text (recorded json)", rRoleWrites},
	{"users.jsonl", 58, 404, "40400006", "status 404 (recorded 200); error_code 40400006 (recorded none); $ lacks created_at,description,id,name,updated_at,version; $ has extra error,error_code", rRoleWrites},
	{"users.jsonl", 59, 404, "none", "status 404 (recorded 204); body text (recorded empty)", rRoleWrites},
}
