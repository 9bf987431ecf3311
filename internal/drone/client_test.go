package drone

import (
	"errors"
	"strings"
	"testing"
)

func TestWrap(t *testing.T) {
	cases := []struct {
		in     string
		status int
		msg    string
	}{
		{`client error 404: {"message":"Not Found"}`, 404, "Not Found"},
		{"client error 401: Unauthorized\n", 401, "Unauthorized"},
		{`client error 500: `, 500, "(empty body)"},
		{`client error 400: {"message":"Invalid Secret Name"}`, 400, "Invalid Secret Name"},
		{"client error 502: <html>\n<body>Bad Gateway</body>\n</html>", 502, "<html>\n<body>Bad Gateway</body>\n</html>"},
	}
	for _, c := range cases {
		var apiErr *APIError
		if !errors.As(Wrap(errors.New(c.in)), &apiErr) || apiErr.Status != c.status || apiErr.Message != c.msg {
			t.Errorf("Wrap(%q) = %#v, want %d %q", c.in, apiErr, c.status, c.msg)
		}
	}
	if !IsNotFound(errors.New(`client error 404: {"message":"Not Found"}`)) || IsNotFound(errors.New("dial tcp: refused")) {
		t.Error("IsNotFound misclassifies")
	}
	plain := errors.New("dial tcp 127.0.0.1:1: connection refused")
	if Wrap(plain) != plain || Wrap(nil) != nil {
		t.Error("Wrap must pass other errors through")
	}
	long := "client error 502: " + strings.Repeat("x", 1000)
	if m := Wrap(errors.New(long)).Error(); len(m) > 400 {
		t.Errorf("long bodies must be shortened, got %d chars", len(m))
	}
}

func FuzzWrap(f *testing.F) {
	for _, s := range []string{`client error 404: {"message":"Not Found"}`, "client error 999: x", "client error 12: x", "", `{"message":1}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		err := Wrap(errors.New(s))
		if err == nil {
			t.Fatal("nil error")
		}
		var apiErr *APIError
		if errors.As(err, &apiErr) {
			if apiErr.Status < 100 || apiErr.Status > 599 || apiErr.Message == "" {
				t.Fatalf("Wrap(%q) = %+v", s, apiErr)
			}
		}
		_ = DecodeMessage([]byte(s))
	})
}

func TestPathEscapes(t *testing.T) {
	if got := Path("api", "repos", "o", "a b/c"); got != "/api/repos/o/a%20b%2Fc" {
		t.Errorf("Path = %q", got)
	}
}
