package stack

import (
	"crypto/x509"
	"encoding/pem"
	"os"
	"strings"
	"testing"

	"k8s.io/client-go/tools/clientcmd"
)

// The API server's certificate is for 127.0.0.1 and signed by the CA the
// kubeconfig carries; the key material is made once and kept.
func TestKubePKIAndKubeconfig(t *testing.T) {
	l := &Launcher{Root: t.TempDir()}
	p, err := l.kubePKI()
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(p.ca) {
		t.Fatal("the CA is no PEM certificate")
	}
	b, err := os.ReadFile(p.serverCert)
	if err != nil {
		t.Fatal(err)
	}
	blk, _ := pem.Decode(b)
	cert, err := x509.ParseCertificate(blk.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cert.Verify(x509.VerifyOptions{Roots: pool, DNSName: "127.0.0.1"}); err != nil {
		t.Fatalf("the serving certificate does not verify for 127.0.0.1: %v", err)
	}
	if again, err := l.kubePKI(); err != nil || string(again.ca) != string(p.ca) {
		t.Fatalf("a second call made new key material (%v): the saved kubeconfigs would stop working", err)
	}

	kc := kubeconfig("https://127.0.0.1:6443", "tok", p.ca)
	cfg, err := clientcmd.RESTConfigFromKubeConfig([]byte(kc))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Host != "https://127.0.0.1:6443" || cfg.BearerToken != "tok" || !strings.Contains(string(cfg.CAData), "BEGIN CERTIFICATE") {
		t.Fatalf("kubeconfig reads as host %q token %q CA %d bytes", cfg.Host, cfg.BearerToken, len(cfg.CAData))
	}
}
