package refserver_test

import "strconv"

// accepted lists the differences between the rock dialect and the
// recordings that stay, each with what the replay answers (status, its
// error_code, and the differences exactly as compare words them) and why.
// Reasons start with where the difference comes from: "replay:" for what
// replaying on a fresh database cannot reproduce, "condition:" for a
// condition of the recording the reference server has no switch for (the
// replay sets the ones it has: chart repository down, Tiller down; see
// replay_env_test.go), "dialect:" for a defect of the dialect left as is.
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
)

var acceptedList = []struct {
	file   string
	seq    int
	status int
	code   string
	diff   string
	reason string
}{
	{"users.jsonl", 18, 200, "none", "status 200 (recorded 404); error_code none (recorded 40400006); $ lacks error,error_code; $ has extra created_at,email,id,name,role_created_at,role_description,role_id,role_name,role_updated_at,role_version,updated_at", rRoleChange},
	{"users.jsonl", 20, 200, "none", "status 200 (recorded 404); error_code none (recorded 40400006); $ lacks error,error_code; $ has extra created_at,email,id,name,role_created_at,role_description,role_id,role_name,role_updated_at,role_version,updated_at", rRoleChange},
	{"users.jsonl", 22, 200, "none", "status 200 (recorded 404); error_code none (recorded 40400006); $ lacks error,error_code; $ has extra created_at,email,id,name,role_created_at,role_description,role_id,role_name,role_updated_at,role_version,updated_at", rRoleChange},
}
