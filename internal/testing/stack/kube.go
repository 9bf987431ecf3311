package stack

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"time"
)

// The stack's Kubernetes: Debian's etcd and a kube-apiserver built from
// tools/kube-apiserver, on loopback, with token authentication and every
// request allowed. There is no kubelet, scheduler or controller manager:
// objects are stored and served (Helm installs, upgrades and uninstalls
// releases, `kubectl get` shows them), pods never run.

// kubeVersion is the version stamped into the API server (what GET /version
// answers and Helm's kubeVersion checks compare with); it must match the
// k8s.io/kubernetes version of tools/kube-apiserver/go.mod.
const kubeVersion = "v1.35.4"

// kubeTool is kube-apiserver, built without cgo and stamped with its version
// as Kubernetes' own build does.
var kubeTool = tool{name: "kube-apiserver", dir: "tools/kube-apiserver", pkg: "k8s.io/kubernetes/cmd/kube-apiserver",
	cache: "tools", noCgo: true, ldflags: "-s -w" +
		" -X k8s.io/component-base/version.gitVersion=" + kubeVersion +
		" -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=35" +
		" -X k8s.io/component-base/version.gitTreeState=clean"}

// kubeUser is the API server's only user (token authentication, member of
// system:masters).
const kubeUser = "galaxias-stack"

// KubeAPIServer returns the path of kube-apiserver, built from the module in
// tools/kube-apiserver into .cache/tools the first time (minutes).
func (l *Launcher) KubeAPIServer(ctx context.Context) (string, error) {
	return l.buildTool(ctx, kubeTool)
}

// etcdBin finds etcd, installing Debian's etcd-server package when it is
// missing and this is root on a Debian-like system (as pgBins does).
func (l *Launcher) etcdBin(ctx context.Context) (string, error) {
	p, err := exec.LookPath("etcd")
	if err == nil {
		return p, nil
	}
	if os.Geteuid() == 0 {
		if _, aerr := exec.LookPath("apt-get"); aerr == nil {
			logPath := l.stackDir("logs", "etcd-install.log")
			l.logf("installing Debian's etcd-server package (log: %s)", logPath)
			env := []string{"DEBIAN_FRONTEND=noninteractive"}
			if rerr := l.run(ctx, l.Root, logPath, env, "apt-get", "update"); rerr != nil {
				return "", stepErr("apt-get update", logPath, rerr)
			}
			if rerr := l.run(ctx, l.Root, logPath, env, "apt-get", "install", "-y", "--no-install-recommends", "etcd-server"); rerr != nil {
				return "", stepErr("apt-get install etcd-server", logPath, rerr)
			}
			if p, err = exec.LookPath("etcd"); err == nil {
				return p, nil
			}
		}
	}
	return "", fmt.Errorf("etcd not found: install etcd (Debian: apt-get install etcd-server): %w", err)
}

// kubeServers starts etcd and kube-apiserver, waits until the API server's
// /readyz answers ok and returns a kubeconfig for it (token authentication,
// the stack's own CA). add records each started process.
func (l *Launcher) kubeServers(ctx context.Context, st *state, add func(*proc, error) error) (string, error) {
	apiserver, err := l.KubeAPIServer(ctx)
	if err != nil {
		return "", err
	}
	etcd, err := l.etcdBin(ctx)
	if err != nil {
		return "", stepErr("find etcd", "", err)
	}
	pki, err := l.kubePKI()
	if err != nil {
		return "", stepErr("kube-apiserver certificates", "", err)
	}
	tokens := l.stackDir("kube", "tokens.csv")
	if err := os.WriteFile(tokens, []byte(fmt.Sprintf("%s,%s,%s,system:masters\n", st.KubeToken, kubeUser, kubeUser)), 0o600); err != nil {
		return "", err
	}

	client := fmt.Sprintf("http://127.0.0.1:%d", st.EtcdPort)
	peer := fmt.Sprintf("http://127.0.0.1:%d", st.EtcdPeerPort)
	l.logf("starting etcd on %s", client)
	dir := l.stackDir("etcd")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	p, err := l.start("etcd", dir, nil, etcd, "--name", "stack", "--data-dir", l.stackDir("etcd", "data"),
		"--listen-client-urls", client, "--advertise-client-urls", client,
		"--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
		"--initial-cluster", "stack="+peer, "--initial-cluster-state", "new")
	if err := add(p, err); err != nil {
		return "", err
	}
	if err := waitFor(ctx, p, time.Minute, request{method: "GET", url: client + "/health"}, 200); err != nil {
		return "", stepErr("wait for etcd", p.log, err)
	}

	server := fmt.Sprintf("https://127.0.0.1:%d", st.KubePort)
	l.logf("starting kube-apiserver on %s", server)
	p, err = l.start("kube-apiserver", l.stackDir("kube"), nil, apiserver,
		"--etcd-servers", client, "--bind-address", "127.0.0.1", "--secure-port", fmt.Sprint(st.KubePort),
		"--advertise-address", "127.0.0.1",
		"--tls-cert-file", pki.serverCert, "--tls-private-key-file", pki.serverKey,
		"--service-account-key-file", pki.saKey, "--service-account-signing-key-file", pki.saKey,
		"--service-account-issuer", "https://kubernetes.default.svc.cluster.local",
		"--token-auth-file", tokens, "--authorization-mode", "AlwaysAllow",
		"--service-cluster-ip-range", "10.96.0.0/16", "--cert-dir", l.stackDir("kube", "certs"))
	if err := add(p, err); err != nil {
		return "", err
	}
	if err := waitKube(ctx, p, 2*time.Minute, server, st.KubeToken, pki.ca); err != nil {
		return "", stepErr("wait for kube-apiserver", p.log, err)
	}
	return kubeconfig(server, st.KubeToken, pki.ca), nil
}

// waitKube polls the API server's /readyz until it answers 200, the
// process p exits (when p is not nil) or timeout passes.
func waitKube(ctx context.Context, p *proc, timeout time.Duration, server, token string, caPEM []byte) error {
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(caPEM)
	hc := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var last error
	for {
		if p != nil && p.exited() {
			return fmt.Errorf("kube-apiserver exited before it was ready")
		}
		req, _ := http.NewRequestWithContext(ctx, "GET", server+"/readyz", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := hc.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return nil
			}
			err = fmt.Errorf("GET /readyz: HTTP %d", resp.StatusCode)
		}
		last = err
		select {
		case <-ctx.Done():
			return fmt.Errorf("not ready after %s: %w", timeout, last)
		case <-time.After(300 * time.Millisecond):
		}
	}
}

// kubeconfig is a kubeconfig for the stack's API server, context "stack".
func kubeconfig(server, token string, caPEM []byte) string {
	return fmt.Sprintf(`apiVersion: v1
kind: Config
clusters:
  - name: stack
    cluster:
      server: %s
      certificate-authority-data: %s
contexts:
  - name: stack
    context:
      cluster: stack
      user: %s
current-context: stack
users:
  - name: %s
    user:
      token: %s
`, server, base64.StdEncoding.EncodeToString(caPEM), kubeUser, kubeUser, token)
}
