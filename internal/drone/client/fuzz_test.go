package client

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
)

// FuzzAnswer feeds the exchange arbitrary answers: it never panics, an
// error answer is an *APIError, and a 2xx is either decoded or an
// *unexpectedAnswerError, never an unknown outcome.
func FuzzAnswer(f *testing.F) {
	f.Add(200, "application/json", `{"name":"x"}`)
	f.Add(200, "text/html", "<!DOCTYPE html><html></html>")
	f.Add(204, "", "")
	f.Add(404, "text/plain", "Not Found")
	f.Add(500, "application/json", `{"message":1}`)
	f.Fuzz(func(t *testing.T, status int, contentType, body string) {
		if status < 200 || status > 599 || (status >= 300 && status < 400) || !headerSafe(contentType) {
			t.Skip() // not an answer a server can send
		}
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", contentType)
			w.WriteHeader(status)
			_, _ = w.Write([]byte(body))
		}))
		defer srv.Close()
		var out struct{ Name string }
		err := newClient(t, srv.URL).Do(context.Background(), "GET", "/api/x", nil, &out)
		var apiErr *APIError
		var ua *unexpectedAnswerError
		switch {
		case status > 299 && (!errors.As(err, &apiErr) || apiErr.Status != status || apiErr.Message == ""):
			t.Fatalf("%d: %v", status, err)
		case status < 300 && err != nil && (!errors.As(err, &ua) || OutcomeUnknown(err)):
			t.Fatalf("%d: %v", status, err)
		}
	})
}

func headerSafe(s string) bool {
	for _, r := range s {
		if r < ' ' || r > '~' {
			return false
		}
	}
	return true
}
