package httpx

import (
	"net/http"
	"os"
	"os/exec"
	"reflect"
	"strings"
	"testing"
	"time"
)

// baseTransport digs the *http.Transport out of a client built by New.
func baseTransport(t *testing.T, c *http.Client) *http.Transport {
	t.Helper()
	tr, ok := c.Transport.(*transport)
	if !ok {
		t.Fatalf("client transport is %T, want *transport", c.Transport)
	}
	base, ok := tr.base.Transport.(*http.Transport)
	if !ok {
		t.Fatalf("base transport is %T, want *http.Transport", tr.base.Transport)
	}
	return base
}

func TestNewBaseTransportSettings(t *testing.T) {
	c := newClient(t, func(o *Options) { o.InsecureSkipVerify = true; o.Timeout = 3 * time.Second })
	if c.Timeout != 0 {
		t.Errorf("client Timeout = %v, want 0: the context bounds the whole operation", c.Timeout)
	}
	tr := c.Transport.(*transport)
	if tr.base.Timeout != 3*time.Second {
		t.Errorf("per-attempt timeout = %v, want 3s", tr.base.Timeout)
	}
	base := baseTransport(t, c)
	if base.Proxy == nil {
		t.Fatal("base transport has no Proxy func: HTTP(S)_PROXY would be ignored")
	}
	if reflect.ValueOf(base.Proxy).Pointer() != reflect.ValueOf(http.ProxyFromEnvironment).Pointer() {
		t.Error("base transport Proxy is not http.ProxyFromEnvironment")
	}
	if base.TLSClientConfig == nil || !base.TLSClientConfig.InsecureSkipVerify {
		t.Error("TLS settings not applied to the base transport")
	}
	if base.MaxIdleConnsPerHost < 10 {
		t.Errorf("MaxIdleConnsPerHost = %d, too low for Terraform's parallelism", base.MaxIdleConnsPerHost)
	}
}

func TestNewDefaults(t *testing.T) {
	c, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	tr := c.Transport.(*transport)
	o := tr.opts
	if o.Timeout != defaultTimeout || o.MaxRetries != defaultMaxRetries || o.WaitMin != defaultWaitMin ||
		o.WaitMax != defaultWaitMax || o.Subsystem != "http" {
		t.Fatalf("defaults not applied: %+v", o)
	}
	if tr.ua != userAgent("") {
		t.Fatalf("ua = %q", tr.ua)
	}
	// WaitMax below WaitMin is raised.
	c, err = New(Options{WaitMin: time.Minute, WaitMax: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if o := c.Transport.(*transport).opts; o.WaitMax < o.WaitMin {
		t.Fatalf("WaitMax %v < WaitMin %v", o.WaitMax, o.WaitMin)
	}
}

const proxyChildEnv = "GALAXIAS_HTTPX_PROXY_CHILD_URL"

// Go never proxies loopback addresses and reads the proxy environment only
// once per process, so this test re-runs itself in a child process with
// HTTP_PROXY set and asks for a non-loopback host, which only the proxy can
// answer.
func TestHTTPProxyFromEnvironmentIsUsed(t *testing.T) {
	if target := os.Getenv(proxyChildEnv); target != "" {
		c := newClient(t, func(o *Options) { o.MaxRetries = -1 })
		res := mustSend(t, c, http.MethodGet, target, "")
		if res.status != http.StatusOK || res.body != "via proxy" {
			t.Fatalf("got %d %q, want the proxy's answer", res.status, res.body)
		}
		return
	}
	if testing.Short() {
		t.Skip("runs a child process")
	}

	proxy := newServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) { reply(w, http.StatusOK, "via proxy") })
	const target = "http://api.galaxias.invalid/v1/ping?x=1"

	cmd := exec.Command(os.Args[0], "-test.run=^TestHTTPProxyFromEnvironmentIsUsed$", "-test.count=1", "-test.v")
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch strings.ToUpper(k) {
		case "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "REQUEST_METHOD", proxyChildEnv:
			continue
		}
		cmd.Env = append(cmd.Env, kv)
	}
	cmd.Env = append(cmd.Env, "HTTP_PROXY="+proxy.URL, "http_proxy="+proxy.URL, proxyChildEnv+"="+target)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child process failed: %v\n%s", err, out)
	}
	got := proxy.recorded()
	if len(got) != 1 {
		t.Fatalf("proxy saw %d requests, want 1; child output:\n%s", len(got), out)
	}
	if got[0].url != target {
		t.Fatalf("proxy got request for %q, want the absolute URL %q", got[0].url, target)
	}
	if ua := got[0].header.Get("User-Agent"); ua != userAgent(testVersion) {
		t.Errorf("User-Agent through the proxy = %q", ua)
	}
}

func TestConnectionReuse(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, _ *http.Request, n int) { reply(w, http.StatusOK, "hello") })
	c := WithHeader(newClient(t, nil), "Authorization", "Bearer t")

	for i := range 20 {
		res := mustSend(t, c, http.MethodGet, srv.URL, "")
		if res.status != http.StatusOK || res.body != "hello" {
			t.Fatalf("request %d: got %d %q", i, res.status, res.body)
		}
	}
	if got := srv.hits.Load(); got != 20 {
		t.Fatalf("server hits = %d, want 20", got)
	}
	if got := srv.conns.Load(); got != 1 {
		t.Fatalf("20 sequential GETs opened %d connections, want 1", got)
	}
}

func TestConnectionReusedAcrossRetries(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, _ *http.Request, n int) {
		if n%2 == 1 {
			reply(w, http.StatusServiceUnavailable, strings.Repeat("busy ", 200))
			return
		}
		reply(w, http.StatusOK, "ok")
	})
	c := newClient(t, nil)

	for i := range 10 {
		res := mustSend(t, c, http.MethodGet, srv.URL, "")
		if res.status != http.StatusOK {
			t.Fatalf("request %d: status %d", i, res.status)
		}
	}
	if got := srv.hits.Load(); got != 20 {
		t.Fatalf("server hits = %d, want 20", got)
	}
	if got := srv.conns.Load(); got != 1 {
		t.Fatalf("10 retried GETs opened %d connections, want 1: retried responses must be drained", got)
	}
}
