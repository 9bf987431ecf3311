package httpx

import (
	"errors"
	"net/http"
	"net/http/cookiejar"
	"testing"
	"time"
)

func TestUserAgent(t *testing.T) {
	if got, want := userAgent("1.2.3"), "terraform-provider-galaxias/1.2.3"; got != want {
		t.Errorf("UserAgent(1.2.3) = %q, want %q", got, want)
	}
	if got, want := userAgent(""), "terraform-provider-galaxias/dev"; got != want {
		t.Errorf("UserAgent(\"\") = %q, want %q", got, want)
	}
}

func TestUserAgentSentOnEveryAttempt(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, _ *http.Request, n int) {
		if n == 1 {
			reply(w, http.StatusServiceUnavailable, "")
			return
		}
		reply(w, http.StatusOK, "")
	})
	c := newClient(t, nil)

	req, err := http.NewRequest(http.MethodGet, srv.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("User-Agent", "Go-http-client/1.1")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()

	got := srv.recorded()
	if len(got) != 2 {
		t.Fatalf("server saw %d attempts, want 2", len(got))
	}
	want := "terraform-provider-galaxias/" + testVersion
	for i, a := range got {
		if ua := a.header.Get("User-Agent"); ua != want {
			t.Errorf("attempt %d User-Agent = %q, want %q", i+1, ua, want)
		}
	}
}

func TestWithHeaderSetsAuthorizationOnEveryAttempt(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, _ *http.Request, n int) {
		if n <= 2 {
			reply(w, http.StatusBadGateway, "")
			return
		}
		reply(w, http.StatusOK, "")
	})
	c := WithHeader(newClient(t, nil), "Authorization", "Bearer abc123")

	req, err := http.NewRequest(http.MethodPatch, srv.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()

	got := srv.recorded()
	if len(got) != 3 {
		t.Fatalf("server saw %d attempts, want 3", len(got))
	}
	for i, a := range got {
		if v := a.header.Values("Authorization"); len(v) != 1 || v[0] != "Bearer abc123" {
			t.Errorf("attempt %d Authorization = %q, want exactly [\"Bearer abc123\"]", i+1, v)
		}
		if ua := a.header.Get("User-Agent"); ua != userAgent(testVersion) {
			t.Errorf("attempt %d User-Agent = %q", i+1, ua)
		}
	}
}

func TestWithHeaderReplacesCallerValue(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) { reply(w, http.StatusOK, "") })
	c := WithHeader(newClient(t, nil), "Authorization", "Bearer right")

	req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
	req.Header.Set("Authorization", "Bearer wrong")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if v := srv.recorded()[0].header.Values("Authorization"); len(v) != 1 || v[0] != "Bearer right" {
		t.Fatalf("Authorization = %q, want [\"Bearer right\"]", v)
	}
}

// A RoundTripper must not modify the caller's request: the same request (or
// its header map) may be reused or read concurrently by the caller.
func TestCallerRequestNotModified(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) { reply(w, http.StatusOK, "") })
	for name, c := range map[string]*http.Client{
		"New":        newClient(t, nil),
		"WithHeader": WithHeader(newClient(t, nil), "Authorization", "Bearer x"),
	} {
		t.Run(name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
			req.Header.Set("Accept", "application/json")
			resp, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			_ = resp.Body.Close()
			if len(req.Header) != 1 || req.Header.Get("Accept") != "application/json" {
				t.Fatalf("caller's request headers were modified: %v", req.Header)
			}
		})
	}
}

func TestWithHeaderKeepsClientSettings(t *testing.T) {
	jar, _ := cookiejar.New(nil)
	errStop := errors.New("stop")
	base := &http.Client{
		Transport:     http.DefaultTransport,
		Jar:           jar,
		Timeout:       7 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return errStop },
	}
	c := WithHeader(base, "X-Key", "v")
	if c.Jar != jar || c.Timeout != 7*time.Second || c.CheckRedirect == nil ||
		c.CheckRedirect(nil, nil) != errStop {
		t.Fatalf("WithHeader lost the client's settings: %+v", c)
	}
	if c == base {
		t.Fatal("WithHeader must return a new client, not modify the given one")
	}
	if base.Transport != http.DefaultTransport {
		t.Fatal("WithHeader modified the given client's transport")
	}
}
