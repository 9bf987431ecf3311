package client

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/galaxias/terraform-provider-galaxias/internal/httpx"
)

// An answer longer than the shared body cap is a definite failure that
// names the cap; an error answer that long keeps the start of its message.
func TestBodyCap(t *testing.T) {
	long := `{"name":"` + strings.Repeat("x", httpx.MaxBody) + `"}`
	ok, _ := answer(t, 200, "application/json", long)
	err := newClient(t, ok.URL).Do(context.Background(), "GET", "/api/x", nil, &struct{ Name string }{})
	var ua *unexpectedAnswerError
	if !errors.As(err, &ua) || OutcomeUnknown(err) || !strings.Contains(err.Error(), "larger than 4 MiB") {
		t.Fatalf("a 200 over the cap: %v, want an unexpected answer larger than 4 MiB", err)
	}
	bad, _ := answer(t, 400, "text/plain", "refused "+strings.Repeat("x", httpx.MaxBody))
	err = newClient(t, bad.URL).Do(context.Background(), "GET", "/api/x", nil, nil)
	var ae *APIError
	if !errors.As(err, &ae) || ae.Status != 400 || !strings.HasPrefix(ae.Message, "refused x") {
		t.Fatalf("a 400 over the cap: %v, want its APIError", err)
	}
}
