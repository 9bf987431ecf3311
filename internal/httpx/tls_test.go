package httpx

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// tlsServerOK is a TLS server answering 200 "secure".
func tlsServerOK(t *testing.T) *server {
	return newTLSServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) { reply(w, http.StatusOK, "secure") })
}

func TestTLSConfigDefaults(t *testing.T) {
	for _, ca := range []string{"", "   \n\t"} {
		cfg, err := tlsConfig(ca, false)
		if err != nil {
			t.Fatalf("TLSConfig(%q): %v", ca, err)
		}
		if cfg.RootCAs != nil {
			t.Errorf("TLSConfig(%q): RootCAs set, want the system pool (nil)", ca)
		}
		if cfg.InsecureSkipVerify {
			t.Errorf("TLSConfig(%q): InsecureSkipVerify on by default", ca)
		}
		if cfg.MinVersion != tls.VersionTLS12 {
			t.Errorf("MinVersion = %x, want TLS 1.2", cfg.MinVersion)
		}
	}
	cfg, err := tlsConfig("", true)
	if err != nil || !cfg.InsecureSkipVerify {
		t.Fatalf("TLSConfig(\"\", true) = %+v, %v; want InsecureSkipVerify", cfg, err)
	}
}

// verifies reports whether cfg trusts the server's certificate, by a TLS
// handshake against it.
func verifies(t *testing.T, srv *server, cfg *tls.Config) error {
	t.Helper()
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: cfg}}
	defer c.CloseIdleConnections()
	resp, err := c.Get(srv.URL)
	if err != nil {
		return err
	}
	_ = resp.Body.Close()
	return nil
}

func TestTLSConfigInlinePEM(t *testing.T) {
	srv := tlsServerOK(t)
	cfg, err := tlsConfig(srv.certPEM(), false)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.RootCAs == nil {
		t.Fatal("RootCAs not set")
	}
	if _, err := srv.Certificate().Verify(x509.VerifyOptions{Roots: cfg.RootCAs}); err != nil {
		t.Fatalf("the server certificate does not verify against the built pool: %v", err)
	}
	if err := verifies(t, srv, cfg); err != nil {
		t.Fatalf("handshake with the inline CA: %v", err)
	}
}

func TestTLSConfigFilePath(t *testing.T) {
	srv := tlsServerOK(t)
	// A bundle with surrounding text, as CA files often have.
	path := writeTemp(t, "ca.pem", "# private CA\n"+srv.certPEM())
	cfg, err := tlsConfig(path, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := verifies(t, srv, cfg); err != nil {
		t.Fatalf("handshake with the CA file: %v", err)
	}
}

func TestTLSConfigGarbage(t *testing.T) {
	cases := map[string]string{
		"PEM armour around garbage": "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n",
		"PEM of a non-certificate":  "-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n",
	}
	for name, ca := range cases {
		t.Run(name, func(t *testing.T) {
			if _, err := tlsConfig(ca, false); err == nil {
				t.Fatal("want an error for a CA bundle with no certificate")
			}
		})
	}
	t.Run("file with garbage", func(t *testing.T) {
		p := writeTemp(t, "garbage.pem", "this is not a certificate\n")
		_, err := tlsConfig(p, false)
		if err == nil || !strings.Contains(err.Error(), "no PEM certificate") {
			t.Fatalf("err = %v, want \"no PEM certificate\"", err)
		}
	})
}

func TestTLSConfigMissingFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "does-not-exist.pem")
	_, err := tlsConfig(p, false)
	if err == nil {
		t.Fatal("want an error for a missing file")
	}
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "ca_cert") {
		t.Fatalf("err = %v, want a ca_cert file-not-found error", err)
	}
}

func TestNewRejectsBadCACert(t *testing.T) {
	for name, ca := range map[string]string{
		"garbage PEM":  "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----",
		"missing file": filepath.Join(t.TempDir(), "nope.pem"),
	} {
		t.Run(name, func(t *testing.T) {
			c, err := New(Options{CACert: ca})
			if err == nil || c != nil {
				t.Fatalf("New = %v, %v; want nil and an error", c, err)
			}
		})
	}
}

func TestUntrustedCertificateRefusedAndNotRetried(t *testing.T) {
	srv := tlsServerOK(t)
	c := newClient(t, func(o *Options) { o.MaxRetries = 3 })

	_, err := send(context.Background(), c, http.MethodGet, srv.URL, "")
	if err == nil {
		t.Fatal("want a certificate error, got a response")
	}
	var certErr *tls.CertificateVerificationError
	if !errors.As(err, &certErr) {
		t.Fatalf("err = %v, want a *tls.CertificateVerificationError", err)
	}
	var unknown x509.UnknownAuthorityError
	if !errors.As(err, &unknown) {
		t.Errorf("err = %v, want an x509.UnknownAuthorityError", err)
	}
	if got := srv.conns.Load(); got != 1 {
		t.Fatalf("server accepted %d connections, want 1: a certificate error must not be retried", got)
	}
	if got := srv.hits.Load(); got != 0 {
		t.Fatalf("server hits = %d, want 0", got)
	}
	if strings.Contains(err.Error(), "attempts") {
		t.Errorf("error %q mentions several attempts", err)
	}
}

func TestWrongHostnameRefusedAndNotRetried(t *testing.T) {
	srv := tlsServerOK(t)
	c := newClient(t, func(o *Options) { o.MaxRetries = 3; o.CACert = srv.certPEM() })
	// The certificate is valid for 127.0.0.1 and example.com, not localhost.
	url := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)

	_, err := send(context.Background(), c, http.MethodGet, url, "")
	if err == nil {
		t.Fatal("want a hostname error")
	}
	var hostErr x509.HostnameError
	if !errors.As(err, &hostErr) {
		t.Fatalf("err = %v, want an x509.HostnameError", err)
	}
	if got := srv.conns.Load(); got != 1 {
		t.Fatalf("server accepted %d connections, want 1", got)
	}
}

func TestHTTPSClientAgainstHTTPServerNotRetried(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) { reply(w, http.StatusOK, "") })
	c := newClient(t, func(o *Options) { o.MaxRetries = 3 })

	_, err := send(context.Background(), c, http.MethodGet, strings.Replace(srv.URL, "http://", "https://", 1), "")
	if err == nil {
		t.Fatal("want an error")
	}
	if got := srv.conns.Load(); got != 1 {
		t.Fatalf("server accepted %d connections, want 1 (not retried): %v", got, err)
	}
}

func TestTrustedWithCACert(t *testing.T) {
	srv := tlsServerOK(t)
	for name, ca := range map[string]string{
		"inline": srv.certPEM(),
		"file":   writeTemp(t, "ca.pem", srv.certPEM()),
	} {
		t.Run(name, func(t *testing.T) {
			c := newClient(t, func(o *Options) { o.CACert = ca })
			res := mustSend(t, c, http.MethodGet, srv.URL, "")
			if res.status != http.StatusOK || res.body != "secure" {
				t.Fatalf("got %d %q", res.status, res.body)
			}
		})
	}
}

func TestTrustedWithInsecureSkipVerify(t *testing.T) {
	srv := tlsServerOK(t)
	c := newClient(t, func(o *Options) { o.InsecureSkipVerify = true })
	res := mustSend(t, c, http.MethodGet, srv.URL, "")
	if res.status != http.StatusOK || res.body != "secure" {
		t.Fatalf("got %d %q", res.status, res.body)
	}
}
