package refserver_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/galaxias/terraform-provider-galaxias/internal/testing/refserver/refservertest"
)

// The replayer of the rock conformance test (conformance_test.go): it sends
// the requests of a transcript to a fresh rock-dialect server, one by one in
// the recorded order, with ids mapped (replay_ids_test.go) and redacted
// inputs filled in, and compares each answer (replay_shape_test.go).

// exchange is one line of a transcript (see testdata/rock-transcripts).
type exchange struct {
	Seq            int    `json:"seq"`
	Method         string `json:"method"`
	Path           string `json:"path"`
	RequestHeaders struct {
		ContentType   *string `json:"Content-Type"`
		Cookie        bool    `json:"Cookie"`
		Authorization bool    `json:"Authorization"`
	} `json:"request_headers"`
	RequestBody      any    `json:"request_body"`
	RequestBodyKind  string `json:"request_body_kind"`
	Status           int    `json:"status"`
	ResponseBody     any    `json:"response_body"`
	ResponseBodyKind string `json:"response_body_kind"`
	Note             string `json:"note"`
}

func (x *exchange) recorded() replayAnswer {
	return replayAnswer{status: x.Status, kind: x.ResponseBodyKind, body: x.ResponseBody}
}

func (x *exchange) isLogin() bool { return x.Method == "POST" && x.Path == "/v1/auth/login" }

// loginName is the user a login (or user creation) names.
func (x *exchange) loginName() string {
	if b, ok := x.RequestBody.(map[string]any); ok {
		s, _ := b["name"].(string)
		return s
	}
	return ""
}

// nilPointer: the recorded answer is the server's nil-pointer 500.
func (x *exchange) nilPointer() bool {
	b, ok := x.ResponseBody.(map[string]any)
	return ok && x.Status == 500 && b["error"] == "invalid memory address or nil pointer dereference"
}

func loadTranscript(t *testing.T, path string) []exchange {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	var out []exchange
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var x exchange
		d := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		d.UseNumber()
		if err := d.Decode(&x); err != nil {
			t.Fatalf("%s line %d: %v", path, len(out)+1, err)
		}
		out = append(out, x)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// answer is a recorded or replayed answer: status, body kind (json, text,
// empty) and the decoded body (the text for text bodies).
type replayAnswer struct {
	status int
	kind   string
	body   any
	cookie string // the token cookie the answer sets, if any
}

// Passwords the replay gives to users it creates or changes.
const (
	replayPassword = "Replay-pw1"
	wrongPassword  = "Wrong-pw-9"
)

// replayer holds what one replay learned so far.
type replayer struct {
	t    *testing.T
	file string
	srv  *refservertest.Started
	env  *replayEnv

	ids      idMap
	password map[string]string   // known password by user name
	names    map[int64]string    // user name by replayed id
	tokens   map[string][]string // tokens of each user, in login order
	current  string              // token of the latest successful login
	lastSeen map[string]time.Time
	changes  int // password changes so far (each gets a new password)
}

func newReplayer(t *testing.T, srv *refservertest.Started, env *replayEnv) *replayer {
	return &replayer{t: t, srv: srv, env: env, ids: idMap{},
		password: map[string]string{refservertest.AdminName: refservertest.AdminPassword},
		names:    map[int64]string{1: refservertest.AdminName},
		tokens:   map[string][]string{}, lastSeen: map[string]time.Time{}}
}

// play sends every exchange of recs in order; compare is called with each
// recorded exchange and its replayed answer.
func (p *replayer) play(file string, recs []exchange, compare func(x *exchange, got replayAnswer)) {
	p.file = file
	early := earlyEvents(recs)
	for i := range recs {
		x := &recs[i]
		p.env.before(p, x)
		if early[i] {
			waitEarlyInSecond()
		}
		if x.isLogin() && x.Status == 200 {
			if last, ok := p.lastSeen[x.loginName()]; ok && last.Unix() == time.Now().Unix() {
				waitNextSecond()
			}
		}
		got := p.send(x)
		p.after(x, got)
		if compare != nil {
			compare(x, got)
		}
	}
}

// earlyEvents marks the events (a user's creation or successful login) that
// a recorded nil-pointer login of the same user followed within the same
// second: they must not happen at the very end of a second.
func earlyEvents(recs []exchange) map[int]bool {
	out := map[int]bool{}
	for i := range recs {
		if !recs[i].isLogin() || !recs[i].nilPointer() {
			continue
		}
		name := recs[i].loginName()
		for j := i - 1; j >= 0; j-- {
			y := &recs[j]
			if y.loginName() == name && ((y.isLogin() && y.Status == 200) || (y.Method == "POST" && y.Path == "/v1/users" && y.Status == 200)) {
				out[j] = true
				break
			}
		}
	}
	return out
}

func waitNextSecond() {
	now := time.Now()
	time.Sleep(now.Truncate(time.Second).Add(time.Second + 5*time.Millisecond).Sub(now))
}

func waitEarlyInSecond() {
	if time.Now().Nanosecond() > int(600*time.Millisecond) {
		waitNextSecond()
	}
}

// send builds the replayed request of x and returns the server's answer.
func (p *replayer) send(x *exchange) replayAnswer {
	p.t.Helper()
	in := inputs[inputKey{p.file, x.Seq}]
	var body io.Reader
	switch b := x.RequestBody.(type) {
	case nil:
	case string:
		body = strings.NewReader(strings.ReplaceAll(b, "<password>", replayPassword))
	default:
		if m, ok := b.(map[string]any); ok {
			b = p.fillBody(x, cloneMap(m), in.body)
		}
		raw, err := json.Marshal(b)
		if err != nil {
			p.t.Fatal(err)
		}
		body = bytes.NewReader(raw)
	}
	path := p.ids.mapPath(x.Path)
	if in.path != "" {
		path = p.resolvePath(in.path)
	}
	req, err := http.NewRequest(x.Method, p.srv.URL+path, body)
	if err != nil {
		p.t.Fatal(err)
	}
	if ct := x.RequestHeaders.ContentType; ct != nil {
		req.Header.Set("Content-Type", *ct)
	}
	tok := p.token(in.token)
	if in.keep {
		p.current = tok
	}
	if x.RequestHeaders.Authorization {
		if in.token == "bare" {
			req.Header.Set("Authorization", tok)
		} else {
			req.Header.Set("Authorization", "Bearer "+tok)
		}
	}
	if x.RequestHeaders.Cookie {
		req.AddCookie(&http.Cookie{Name: "token", Value: tok})
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		p.t.Fatalf("%s seq %d: %v", p.file, x.Seq, err)
	}
	defer func() { _ = resp.Body.Close() }()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		p.t.Fatal(err)
	}
	got := replayAnswer{status: resp.StatusCode, kind: "empty", body: ""}
	for _, c := range resp.Cookies() {
		if c.Name == "token" {
			got.cookie = c.Value
		}
	}
	if len(raw) > 0 {
		got.kind, got.body = "text", string(raw)
		if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
			d := json.NewDecoder(bytes.NewReader(raw))
			d.UseNumber()
			var v any
			if d.Decode(&v) == nil {
				got.kind, got.body = "json", v
			}
		}
	}
	return got
}

// after learns from a replayed answer: ids, tokens, users and passwords.
func (p *replayer) after(x *exchange, got replayAnswer) {
	kind := answerKind(x.Path)
	p.ids.learn(kind, x.ResponseBody, got.body)
	if got.status/100 != 2 {
		return
	}
	body, _ := got.body.(map[string]any)
	sent, _ := x.RequestBody.(map[string]any)
	path := p.ids.mapPath(x.Path)
	switch {
	case x.isLogin():
		name := x.loginName()
		p.lastSeen[name] = time.Now()
		if got.cookie != "" {
			p.tokens[name] = append(p.tokens[name], got.cookie)
			p.current = got.cookie
		}
	case x.Method == "POST" && x.Path == "/v1/users":
		name := x.loginName()
		p.lastSeen[name] = time.Now()
		p.password[name] = replayPassword
		if id, ok := asID(body["id"]); ok {
			p.names[id] = name
		}
	case x.Method == "PUT" && strings.HasSuffix(path, "/password") && sent != nil:
		if user := p.names[pathID(path)]; user != "" {
			p.password[user] = p.lastNewPassword(x)
		}
	}
}

func cloneMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
