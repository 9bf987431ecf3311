package main

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

// start runs the command with args and returns its base URL and a stop
// function that waits for a clean exit.
func start(t *testing.T, args ...string) (string, func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"-listen", "127.0.0.1:0", "-quiet"}, args...), func(a string) { addrc <- a })
	}()
	select {
	case a := <-addrc:
		return "http://" + a, func() {
			cancel()
			if err := <-done; err != nil {
				t.Fatal(err)
			}
		}
	case err := <-done:
		t.Fatal(err)
	case <-time.After(30 * time.Second):
		t.Fatal("server did not start")
	}
	cancel()
	return "", nil
}

func TestRunServesHealthAndLogin(t *testing.T) {
	base, stop := start(t, "-data", t.TempDir(), "-admin-name", "admin", "-admin-password", "pw",
		"-fault", "route=GET /v1/projects,kind=503,limit=1")
	resp, err := http.Get(base + "/health")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("health: %v %v", resp, err)
	}
	resp, err = http.Post(base+"/v1/auth/login", "application/json", strings.NewReader(`{"name":"admin","password":"pw"}`))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("login: %v %v", resp, err)
	}
	var body struct{ Token string }
	_ = json.NewDecoder(resp.Body).Decode(&body)
	_ = resp.Body.Close()
	req, _ := http.NewRequest("GET", base+"/v1/projects", nil)
	req.Header.Set("Authorization", "Bearer "+body.Token)
	for _, want := range []int{503, 200} {
		resp, err = http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != want {
			t.Fatalf("projects: want %d, got %v %v", want, resp, err)
		}
		_ = resp.Body.Close()
	}
	stop()
	if err := run(context.Background(), []string{"-listen", "127.0.0.1:0"}, nil); err == nil {
		t.Fatal("-data is required")
	}
	if err := run(context.Background(), []string{"-listen", "127.0.0.1:0", "-data", t.TempDir(), "-admin-password", "pw", "-dialect", "other"}, nil); err == nil {
		t.Fatal("an unknown dialect was accepted")
	}
}

func TestRunRockDialect(t *testing.T) {
	base, stop := start(t, "-data", t.TempDir(), "-admin-password", "Admin-pw1", "-dialect", "rock", "-token-expire", "1h")
	resp, err := http.Get(base + "/health")
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 16)
	n, _ := resp.Body.Read(b)
	_ = resp.Body.Close()
	if string(b[:n]) != "ok" {
		t.Fatalf("health: %q", b[:n])
	}
	resp, err = http.Post(base+"/v1/auth/login", "application/json", strings.NewReader(`{"name":"admin","password":"Admin-pw1"}`))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("login: %v %v", resp, err)
	}
	_ = resp.Body.Close()
	var tok string
	for _, c := range resp.Cookies() {
		if c.Name == "token" {
			tok = c.Value
		}
	}
	// -token-expire sets the cookie's max-age, as server.tokenExpire does.
	if tok == "" || resp.Cookies()[0].MaxAge != 3600 {
		t.Fatalf("cookie: %v", resp.Cookies())
	}
	stop()
}
