package refserver_test

import "strconv"

// accepted lists the differences between the rock dialect and the
// recordings that stay, each with what the replay answers (status, its
// error_code, and the differences exactly as compare words them) and why.
// Reasons starting "users23:" or "deploy23:" are dialect defects that those
// branches own (rock_users.go and rock_auth.go; rock_deployments.go and
// releases.go); "condition:" marks a condition of the recording the
// reference server has no switch for.
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
	rRoleChange = "replay: rock looks the role up by the user's id after applying a role change (recorded 404 40400006 " +
		"for user 26); the replay's fresh database gives that user an id that is also a role's id (1-4), so the lookup " +
		"succeeds and the answer is 200 — the rule itself is held by TestRockUsersAsRecorded with a user id above 4"
	rInstanceDeployments = "deploy23: GET /v1/instances/{id}/deployments is missing: a page of the instance's deployments"
	rInstanceKube        = "deploy23: the instance routes backed by Kubernetes (pods, configs, scale GET/PUT, logs) are missing: " +
		"rock passes the API server's refusal on as 500 {error: {ErrStatus: <Status>}}"
	rTillerDown = "condition: Tiller was down in the recording (deploy 500 50000005, instance delete 500 {error: {}}); " +
		"the reference server has no Tiller and no switch for it"
)

var acceptedList = []struct {
	file   string
	seq    int
	status int
	code   string
	diff   string
	reason string
}{
	{"deployments.jsonl", 39, 404, "none", "status 404 (recorded 200); body text (recorded json)", rInstanceDeployments},
	{"deployments.jsonl", 40, 404, "none", "status 404 (recorded 500); error_code none (recorded 5000001); body text (recorded json)", rInstanceKube},
	{"deployments.jsonl", 41, 404, "none", "status 404 (recorded 500); error_code none (recorded 5000001); body text (recorded json)", rInstanceKube},
	{"deployments.jsonl", 42, 404, "none", "status 404 (recorded 500); error_code none (recorded 5000001); body text (recorded json)", rInstanceKube},
	{"deployments.jsonl", 43, 404, "none", "status 404 (recorded 500); error_code none (recorded 5000001); body text (recorded json)", rInstanceKube},
	{"deployments.jsonl", 44, 404, "none", "status 404 (recorded 500); error_code none (recorded 5000001); body text (recorded json)", rInstanceKube},
	{"deployments.jsonl", 55, 500, "50000006", "error_code 50000006 (recorded 50000005)", rTillerDown},
	{"deployments.jsonl", 56, 204, "none", "status 204 (recorded 500); error_code none (recorded 5000001); body empty (recorded json)", rTillerDown},
	{"users.jsonl", 18, 200, "none", "status 200 (recorded 404); error_code none (recorded 40400006); $ lacks error,error_code; $ has extra created_at,email,id,name,role_created_at,role_description,role_id,role_name,role_updated_at,role_version,updated_at", rRoleChange},
	{"users.jsonl", 20, 200, "none", "status 200 (recorded 404); error_code none (recorded 40400006); $ lacks error,error_code; $ has extra created_at,email,id,name,role_created_at,role_description,role_id,role_name,role_updated_at,role_version,updated_at", rRoleChange},
	{"users.jsonl", 22, 200, "none", "status 200 (recorded 404); error_code none (recorded 40400006); $ lacks error,error_code; $ has extra created_at,email,id,name,role_created_at,role_description,role_id,role_name,role_updated_at,role_version,updated_at", rRoleChange},
}
