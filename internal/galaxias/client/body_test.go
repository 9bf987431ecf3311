package client

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/galaxias/terraform-provider-galaxias/internal/httpx"
)

// Answers are read up to the shared body cap: a longer 2xx is an error that
// names the cap, not a lost answer; a longer error answer keeps its status.
func TestBodyCap(t *testing.T) {
	status := http.StatusOK
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(`[{"id":1,"name":"` + strings.Repeat("x", httpx.MaxBody) + `"}]`))
	}))
	t.Cleanup(srv.Close)
	c := mustClient(t, Options{BaseURL: srv.URL, Token: "t"})
	_, err := c.ListProjects(ctx(t), "")
	if !errors.Is(err, httpx.ErrBodyTooLarge) || outcomeUnknown(ctx(t), err) || !strings.Contains(err.Error(), "4 MiB") {
		t.Fatalf("a 200 over the cap: %v, want an error naming the 4 MiB cap", err)
	}
	status = http.StatusBadRequest
	_, err = c.ListProjects(ctx(t), "")
	if statusOf(err) != http.StatusBadRequest || outcomeUnknown(ctx(t), err) {
		t.Fatalf("a 400 over the cap: %v, want its APIError", err)
	}
}
