package tfx

import (
	"context"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/galaxias/terraform-provider-galaxias/internal/httpx"
)

// Both providers explain a server they cannot reach with these words; any
// other error is left to the provider.
func TestExplainUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	hc, err := httpx.New(httpx.Options{MaxRetries: -1, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequestWithContext(context.Background(), "GET", "http://"+addr+"/", nil)
	_, refused := hc.Do(req)
	if refused == nil {
		t.Fatal("dialing a closed port succeeded")
	}
	msg, ok := ExplainUnreachable("Drone", "http://"+addr, "Check server.", refused)
	if !ok || !strings.HasPrefix(msg, "Drone at http://"+addr+" is unreachable: ") ||
		!strings.Contains(msg, "connection refused") || !strings.HasSuffix(msg, ". Check server.") {
		t.Errorf("connection refused: %v %q", ok, msg)
	}

	cert := x509.UnknownAuthorityError{}
	msg, ok = ExplainUnreachable("Galaxias", "https://g", "Check endpoint.", cert)
	if !ok || !strings.HasPrefix(msg, "Cannot connect to Galaxias at https://g: x509") || !strings.HasSuffix(msg, httpx.CertificateHint) {
		t.Errorf("certificate: %v %q", ok, msg)
	}

	if msg, ok := ExplainUnreachable("Drone", "http://d", "Check server.", errors.New("401 Unauthorized")); ok || msg != "" {
		t.Errorf("another error: %v %q, want it left to the provider", ok, msg)
	}
}
