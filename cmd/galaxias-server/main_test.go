package main

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestRunServesHealthAndLogin(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-listen", "127.0.0.1:0", "-data", dir, "-admin-name", "admin", "-admin-password", "pw", "-quiet",
			"-fault", "route=GET /v1/projects,kind=503,limit=1"}, func(a string) { addrc <- a })
	}()
	var base string
	select {
	case a := <-addrc:
		base = "http://" + a
	case err := <-done:
		t.Fatal(err)
	case <-time.After(30 * time.Second):
		t.Fatal("server did not start")
	}
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
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if err := run(context.Background(), []string{"-listen", "127.0.0.1:0"}, nil); err == nil {
		t.Fatal("-data is required")
	}
}
