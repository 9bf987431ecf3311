package refserver_test

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/galaxias/terraform-provider-galaxias/internal/testing/refserver"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/refserver/refservertest"
)

// The replay's inputs: redacted passwords and tokens filled in by the
// default rules (see replay_test.go) or by the table of explicit inputs
// (conformance_test.go), kubeconfigs pointed at the test's Kubernetes API.

// fillBody maps the ids of a JSON body and fills in the redacted inputs;
// over replaces fields last (the table of explicit inputs).
func (p *replayer) fillBody(x *exchange, b, over map[string]any) map[string]any {
	p.ids.mapBody(b)
	path := p.ids.mapPath(x.Path)
	redacted := func(k string) bool { return b[k] == "<password>" }
	switch {
	case x.isLogin() && redacted("password"):
		b["password"] = wrongPassword
		if pw, ok := p.password[x.loginName()]; ok {
			b["password"] = pw
		}
	case x.Path == "/v1/users" && redacted("password"):
		b["password"] = replayPassword
	case strings.HasSuffix(path, "/password"):
		user := p.names[pathID(path)]
		if redacted("old_password") {
			b["old_password"] = p.password[user]
		}
		if redacted("new_password") {
			p.changes++
			b["new_password"] = "Replay-pw" + strconv.Itoa(p.changes+1)
		}
	}
	for _, k := range []string{"password", "re_password", "old_password", "new_password"} {
		if redacted(k) {
			b[k] = replayPassword
		}
	}
	if c, ok := b["config"].(string); ok && strings.Contains(c, recorderKube) {
		b["config"] = strings.ReplaceAll(c, recorderKube, p.env.kubeURL)
	}
	for k, v := range over {
		if v == "$known" { // the user's current password
			v = p.password[p.names[pathID(path)]]
		}
		b[k] = v
	}
	return b
}

// recorderKube is the recorder's fake Kubernetes API; kubeconfigs that
// point at it are pointed at the test's.
const recorderKube = "http://127.0.0.1:16443"

// pathID is the id after /v1/users/ in a path.
func pathID(path string) int64 {
	segs := strings.Split(strings.TrimPrefix(path, "/v1/users/"), "/")
	n, _ := strconv.ParseInt(segs[0], 10, 64)
	return n
}

func (p *replayer) lastNewPassword(x *exchange) string {
	if over, ok := inputs[inputKey{p.file, x.Seq}].body["new_password"].(string); ok && over != "$known" {
		return over
	}
	return "Replay-pw" + strconv.Itoa(p.changes+1)
}

// token is the token an exchange sends: the current one, or what the table
// of explicit inputs asks for.
func (p *replayer) token(which string) string {
	switch {
	case which == "" || which == "bare":
		return p.current
	case which == "garbage":
		return "not-a-jwt"
	case which == "expired":
		tok, err := p.srv.RockTokenExpiring(-(time.Minute + 17*time.Second), 1, refservertest.AdminName, "", refserver.RoleAdmin)
		if err != nil {
			p.t.Fatal(err)
		}
		return tok
	case strings.HasPrefix(which, "user:"):
		ts := p.tokens[strings.TrimPrefix(which, "user:")]
		if len(ts) > 0 {
			return ts[len(ts)-1]
		}
	case strings.HasPrefix(which, "prev:"):
		ts := p.tokens[strings.TrimPrefix(which, "prev:")]
		if len(ts) > 1 {
			return ts[len(ts)-2]
		}
	}
	p.t.Fatalf("%s: no token %q", p.file, which)
	return ""
}

// resolvePath fills "$newest:<collection>[:<key>=<value>]" in a path of
// the table of explicit inputs with the highest id the server lists in that
// collection (among the items whose key has that value).
func (p *replayer) resolvePath(path string) string {
	before, spec, ok := strings.Cut(path, "$newest:")
	if !ok {
		return path
	}
	coll, filter, _ := strings.Cut(spec, ":")
	key, value, _ := strings.Cut(filter, "=")
	req, err := http.NewRequest("GET", p.srv.URL+"/v1/"+coll+"?page_num=1&page_size=1000", nil)
	if err != nil {
		p.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+p.current)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		p.t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	var page struct{ Items []map[string]any }
	d := json.NewDecoder(resp.Body)
	d.UseNumber()
	if err := d.Decode(&page); err != nil {
		p.t.Fatalf("list %s: %v", coll, err)
	}
	var newest int64
	for _, it := range page.Items {
		if id, ok := asID(it["id"]); ok && (key == "" || it[key] == value) {
			newest = max(newest, id)
		}
	}
	return before + strconv.FormatInt(newest, 10)
}
