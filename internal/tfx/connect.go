package tfx

import (
	"errors"
	"fmt"
	"net"

	"github.com/galaxias/terraform-provider-galaxias/internal/httpx"
)

// ExplainUnreachable explains, for the diagnostic of a provider's first
// request, a failure to reach the server at all: a TLS certificate not
// trusted, or no connection (then check says which settings to look at).
// server names the product ("Drone", "Galaxias"), at its address. ok is
// false for any other error, which the provider explains itself.
func ExplainUnreachable(server, at, check string, err error) (msg string, ok bool) {
	var netErr net.Error
	switch {
	case httpx.IsCertificateError(err):
		return fmt.Sprintf("Cannot connect to %s at %s: %v. %s", server, at, err, httpx.CertificateHint), true
	case errors.As(err, &netErr):
		return fmt.Sprintf("%s at %s is unreachable: %v. %s", server, at, err, check), true
	}
	return "", false
}
