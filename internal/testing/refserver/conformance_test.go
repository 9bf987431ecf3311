package refserver_test

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// TestRockConformance replays every recorded exchange of the real rock
// server (testdata/rock-transcripts/*.jsonl) against a fresh rock-dialect
// server, in the recorded order, and compares each answer with the
// recorded one: status, error_code, body kind and body shape (see
// replay_shape_test.go). Every difference must be listed in accepted
// (conformance_accepted_test.go) with what the replay answers and why;
// an accepted entry that no longer matches, or no longer differs, fails.
//
// Set ROCK_CONFORMANCE_DUMP=1 to print every difference as a table entry.
func TestRockConformance(t *testing.T) {
	paths, err := filepath.Glob("testdata/rock-transcripts/*.jsonl")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no transcripts: %v", err)
	}
	files := map[string]bool{}
	for _, path := range paths {
		file := filepath.Base(path)
		files[file] = true
		t.Run(file, func(t *testing.T) {
			t.Parallel() // most of a replay's time is spent waiting for the next second
			srv, env := startReplay(t)
			p := newReplayer(t, srv, env)
			for _, pre := range continues[file] {
				recs := loadTranscript(t, filepath.Join("testdata/rock-transcripts", pre))
				env.seed(recs)
				p.play(pre, recs, nil)
			}
			recs := loadTranscript(t, path)
			env.seed(recs)
			seen := map[int]bool{}
			var dump []string
			p.play(file, recs, func(x *exchange, got replayAnswer) {
				seen[x.Seq] = true
				diff := compare(x.recorded(), got)
				acc, ok := accepted[inputKey{file, x.Seq}]
				if problem := judge(acc, ok, got, diff); problem != "" {
					t.Errorf("seq %d %s %s: %s", x.Seq, x.Method, x.Path, problem)
					code := fmt.Sprint(orNone(errorCode(got.body)))
					dump = append(dump, fmt.Sprintf("{%q, %d, %d, %q, %q, %q},", file, x.Seq, got.status, code, diff, acc.reason))
				}
			})
			for k, acc := range accepted {
				if k.file == file && !seen[k.seq] {
					t.Errorf("accepted entry %s seq %d names no exchange (%s)", k.file, k.seq, acc.reason)
				}
			}
			for k := range inputs {
				if k.file == file && !seen[k.seq] {
					t.Errorf("input %s seq %d names no exchange", k.file, k.seq)
				}
			}
			if len(dump) > 0 && os.Getenv("ROCK_CONFORMANCE_DUMP") != "" {
				t.Logf("table entries:\n%s", strings.Join(dump, "\n"))
			}
		})
	}
	var unknown []string
	for k := range accepted {
		if !files[k.file] {
			unknown = append(unknown, fmt.Sprintf("%s seq %d", k.file, k.seq))
		}
	}
	for k := range inputs {
		if !files[k.file] {
			unknown = append(unknown, fmt.Sprintf("input %s seq %d", k.file, k.seq))
		}
	}
	sort.Strings(unknown)
	for _, u := range unknown {
		t.Errorf("table entry for a transcript that does not exist: %s", u)
	}
}

// judge says what is wrong with a replayed answer that differs from the
// recording as diff says ("" when nothing is): a difference not accepted,
// an accepted one that changed, or one that is gone (stale).
func judge(acc acceptedDiff, ok bool, got replayAnswer, diff string) string {
	code := fmt.Sprint(orNone(errorCode(got.body)))
	switch {
	case diff == "" && ok:
		return "stale accepted difference: the replay now answers like the recording (" + acc.reason + ")"
	case diff == "":
		return ""
	case !ok:
		return diff
	case acc.status != got.status || acc.code != code || acc.diff != diff:
		return fmt.Sprintf("the accepted difference changed: the replay answers %d %s, %s; accepted: %d %s, %s",
			got.status, code, diff, acc.status, acc.code, acc.diff)
	}
	return ""
}

// continues names the transcripts a transcript was recorded after and
// depends on (it uses records they created): they are replayed first, on
// the same server, without comparing.
var continues = map[string][]string{
	"envs.jsonl":              {"clusters.jsonl"}, // cluster 19
	"project_envs.jsonl":      {"clusters.jsonl"},
	"app_configs.jsonl":       {"clusters.jsonl"},
	"terraform-plan.jsonl":    {"terraform-apply.jsonl"},
	"terraform-update.jsonl":  {"terraform-apply.jsonl", "terraform-plan.jsonl"},
	"terraform-destroy.jsonl": {"terraform-apply.jsonl", "terraform-plan.jsonl", "terraform-update.jsonl"},
	"terraform-import.jsonl":  {"terraform-apply.jsonl", "terraform-plan.jsonl", "terraform-update.jsonl", "terraform-destroy.jsonl"},
}

// inputKey names one exchange: transcript file and seq.
type inputKey struct {
	file string
	seq  int
}

// input is what an exchange sends where the default rules (see
// replay_test.go) do not give the recorded intent.
type input struct {
	// token: "" the current token (of the latest successful login);
	// "bare" the current token without "Bearer "; "garbage" not a JWT;
	// "expired" an expired token; "user:NAME" NAME's latest token;
	// "prev:NAME" the token NAME had before their latest login.
	token string
	// keep: the token chosen becomes the current token from here on.
	keep bool
	// body fields replacing the request body's (after the defaults);
	// "$known" is the user's current password.
	body map[string]any
	// path replacing the recorded one; "$newest:<collection>" ends it with
	// the highest id the server lists in that collection.
	path string
}

// Passwords the table sends on purpose.
const (
	shortPassword  = "Ab1!"                   // < 6 characters
	longPassword   = "Abcdefgh1234567890xyz!" // > 20 characters
	weakPassword   = "abcdefghij"             // one character class
	formerPassword = replayPassword           // what a user was created with
)

var wrong = map[string]any{"password": wrongPassword}

var inputs = map[inputKey]input{
	{"auth.jsonl", 3}:   {body: wrong},                     // wrong password
	{"auth.jsonl", 13}:  {token: "garbage"},                // garbage token
	{"auth.jsonl", 14}:  {token: "bare"},                   // token without "Bearer "
	{"auth.jsonl", 18}:  {token: "prev:admin"},             // token replaced by the login at 17
	{"auth.jsonl", 19}:  {token: "prev:admin"},             // the same, as a cookie
	{"auth.jsonl", 35}:  {body: wrong},                     // five wrong passwords...
	{"auth.jsonl", 36}:  {body: wrong},                     //
	{"auth.jsonl", 37}:  {body: wrong},                     //
	{"auth.jsonl", 38}:  {body: wrong},                     //
	{"auth.jsonl", 39}:  {body: wrong},                     // ...then the right one (40)
	{"auth.jsonl", 48}:  {token: "user:admin", keep: true}, // back to the admin after the developer's calls
	{"auth.jsonl", 52}:  {body: wrong},                     // wrong password
	{"auth.jsonl", 54}:  {token: "expired"},                // a token issued 1876 s earlier
	{"auth.jsonl", 55}:  {token: "expired"},                // the same, as a cookie
	{"users.jsonl", 7}:  {body: map[string]any{"password": shortPassword}},
	{"users.jsonl", 8}:  {body: map[string]any{"password": weakPassword}},
	{"users.jsonl", 9}:  {body: map[string]any{"password": longPassword}},
	{"users.jsonl", 26}: {body: map[string]any{"old_password": wrongPassword}}, // wrong old password
	{"users.jsonl", 27}: {body: map[string]any{"new_password": "$known"}},      // new = old
	{"users.jsonl", 28}: {body: map[string]any{"new_password": shortPassword}}, // new too short
	{"users.jsonl", 31}: {body: map[string]any{"password": formerPassword}},    // the password before the change at 30
	{"users.jsonl", 37}: {token: "user:admin", keep: true},                     // back to the admin: rec-user-1's token died at 35
	{"users.jsonl", 42}: {token: "user:rec-user-1"},                            // the deleted user's token
	// the deployment that the failed POST at 52 still created: no answer
	// before this one shows its id
	{"deployments.jsonl", 59}: {path: "/v1/deployments/$newest:deployments:chart_version=1.3.0"},
}
