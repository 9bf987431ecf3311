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
	rUserShape = "users23: user answers (POST /v1/users, GET /v1/users/{id}, PUT /v1/users/{id}/password) carry " +
		"role_name, role_description, role_created_at, role_updated_at and role_version, and no version"
	rFormLogin = "users23: the login binds by Content-Type (gin ShouldBind): a form-encoded body binds no field " +
		"(the struct has only json tags), so both required fields fail: error [{}, {}], not a JSON syntax error {}"
	rLogout     = "users23: POST /v1/auth/logout is missing: 204, empty body, Set-Cookie refresh then clear; the token keeps working"
	rReset      = "users23: POST /v1/auth/reset is missing (no auth): unknown e-mail -> 500 {error: {}}, invalid e-mail -> 500 [{}]"
	rPwdReset   = "users23: PUT /v1/auth/pwd is missing (no auth): unknown e-mail -> 400 40000011 \"Email <e-mail> not found\""
	rRoleChange = "users23: PUT /v1/users/{id}/roles for a user id > 4 answers 404 40400006 \"Role with id(<user id>) was not found\" " +
		"(and still applies the change)"
	rUserNotFound = "users23: a missing user on role change, password change and delete is 404 40400005 \"User with id(N) was not found\", not 400 40000005"
	rGitlabAccess = "users23: PUT /v1/users/{id}/access is missing: with no GitLab listening it answers 500 with the *url.Error " +
		"({Op, URL, Err}) as error"
	rDeletedUserGet = "users23: GET /v1/users/{id} still answers a soft-deleted user (200 with the user)"
	rNameReuse      = "users23: a deleted user's name stays taken: POST /v1/users with it -> 400 40000001"
	rRoleUsers      = "users23: GET /v1/roles/{id}/users is missing: a page of the role's users (page_num, page_size required)"
	rRoleWrites     = "users23: POST /v1/roles (201; an existing name returns the existing role), PUT /v1/roles/{id} " +
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
	{"auth.jsonl", 32, 200, "none", "$ lacks role_created_at,role_description,role_name,role_updated_at,role_version; $ has extra version", rUserShape},
	{"auth.jsonl", 33, 200, "none", "$ lacks role_created_at,role_description,role_name,role_updated_at,role_version; $ has extra version", rUserShape},
	{"auth.jsonl", 34, 200, "none", "$ lacks role_created_at,role_description,role_name,role_updated_at,role_version; $ has extra version", rUserShape},
	{"auth.jsonl", 43, 200, "none", "$ lacks role_created_at,role_description,role_name,role_updated_at,role_version; $ has extra version", rUserShape},
	{"auth.jsonl", 44, 200, "none", "$ lacks role_created_at,role_description,role_name,role_updated_at,role_version; $ has extra version", rUserShape},
	{"auth.jsonl", 51, 200, "none", "$ lacks role_created_at,role_description,role_name,role_updated_at,role_version; $ has extra version", rUserShape},
	{"terraform-apply.jsonl", 8, 200, "none", "$ lacks role_created_at,role_description,role_name,role_updated_at,role_version; $ has extra version", rUserShape},
	{"terraform-destroy.jsonl", 6, 200, "none", "$ lacks role_created_at,role_description,role_name,role_updated_at,role_version; $ has extra version", rUserShape},
	{"terraform-plan.jsonl", 5, 200, "none", "$ lacks role_created_at,role_description,role_name,role_updated_at,role_version; $ has extra version", rUserShape},
	{"terraform-token.jsonl", 2, 200, "none", "$ lacks role_created_at,role_description,role_name,role_updated_at,role_version; $ has extra version", rUserShape},
	{"terraform-update.jsonl", 3, 200, "none", "$ lacks role_created_at,role_description,role_name,role_updated_at,role_version; $ has extra version", rUserShape},
	{"users.jsonl", 2, 200, "none", "$ lacks role_created_at,role_description,role_name,role_updated_at,role_version; $ has extra version", rUserShape},
	{"users.jsonl", 3, 200, "none", "$ lacks role_created_at,role_description,role_name,role_updated_at,role_version; $ has extra version", rUserShape},
	{"users.jsonl", 12, 200, "none", "$ lacks role_created_at,role_description,role_name,role_updated_at,role_version; $ has extra version", rUserShape},
	{"users.jsonl", 18, 200, "none", "status 200 (recorded 404); error_code none (recorded 40400006); $ lacks error,error_code; $ has extra created_at,email,id,name,role_id,updated_at,version", rRoleChange},
	{"users.jsonl", 19, 200, "none", "$ lacks role_created_at,role_description,role_name,role_updated_at,role_version; $ has extra version", rUserShape},
	{"users.jsonl", 21, 200, "none", "$ lacks role_created_at,role_description,role_name,role_updated_at,role_version; $ has extra version", rUserShape},
	{"users.jsonl", 22, 200, "none", "status 200 (recorded 404); error_code none (recorded 40400006); $ lacks error,error_code; $ has extra created_at,email,id,name,role_id,updated_at,version", rRoleChange},
	{"users.jsonl", 25, 400, "40000005", "status 400 (recorded 404); error_code 40000005 (recorded 40400005)", rUserNotFound},
	{"users.jsonl", 30, 200, "none", "$ lacks role_created_at,role_description,role_name,role_updated_at,role_version; $ has extra version", rUserShape},
	{"users.jsonl", 33, 200, "none", "$ lacks role_created_at,role_description,role_name,role_updated_at,role_version; $ has extra version", rUserShape},
	{"users.jsonl", 34, 200, "none", "$ lacks role_created_at,role_description,role_name,role_updated_at,role_version; $ has extra version", rUserShape},
	{"users.jsonl", 35, 200, "none", "$ lacks role_created_at,role_description,role_name,role_updated_at,role_version; $ has extra version", rUserShape},
	{"users.jsonl", 37, 404, "none", "status 404 (recorded 500); error_code none (recorded 5000001); body text (recorded json)", rGitlabAccess},
	{"users.jsonl", 38, 200, "none", "$ lacks role_created_at,role_description,role_name,role_updated_at,role_version; $ has extra version", rUserShape},
	{"users.jsonl", 40, 500, "5000001", "status 500 (recorded 200); error_code 5000001 (recorded none); $ lacks created_at,email,id,name,role_created_at,role_description,role_id,role_name,role_updated_at,role_version,updated_at; $ has extra error,error_code,switch", rDeletedUserGet},
	{"users.jsonl", 44, 400, "40000005", "status 400 (recorded 404); error_code 40000005 (recorded 40400005)", rUserNotFound},
	{"users.jsonl", 45, 400, "40000005", "status 400 (recorded 404); error_code 40000005 (recorded 40400005)", rUserNotFound},
	{"users.jsonl", 46, 400, "40000005", "status 400 (recorded 404); error_code 40000005 (recorded 40400005)", rUserNotFound},
	{"users.jsonl", 47, 200, "none", "status 200 (recorded 400); error_code none (recorded 40000001); $ lacks error,error_code; $ has extra created_at,email,id,name,role_id,updated_at,version", rNameReuse},
	{"users.jsonl", 48, 200, "none", "$ lacks role_created_at,role_description,role_name,role_updated_at,role_version; $ has extra version", rUserShape},
	{"users.jsonl", 50, 400, "40000005", "status 400 (recorded 404); error_code 40000005 (recorded 40400005)", rUserNotFound},
	{"users.jsonl", 53, 404, "none", "status 404 (recorded 200); body text (recorded json)", rRoleUsers},
	{"users.jsonl", 54, 404, "none", "status 404 (recorded 500); error_code none (recorded 5000001); body text (recorded json)", rRoleUsers},
	{"users.jsonl", 55, 404, "none", "status 404 (recorded 201); body text (recorded json)", rRoleWrites},
	{"users.jsonl", 56, 404, "none", "status 404 (recorded 201); body text (recorded json)", rRoleWrites},
	{"users.jsonl", 57, 404, "none", "status 404 (recorded 200); body text (recorded json)", rRoleWrites},
	{"users.jsonl", 58, 404, "40400006", "status 404 (recorded 200); error_code 40400006 (recorded none); $ lacks created_at,description,id,name,updated_at,version; $ has extra error,error_code", rRoleWrites},
	{"users.jsonl", 59, 404, "none", "status 404 (recorded 204); body text (recorded empty)", rRoleWrites},
}
