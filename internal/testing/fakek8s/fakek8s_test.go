package fakek8s

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
)

func get(t *testing.T, url, token string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

func TestNodesAndStatus(t *testing.T) {
	s := New("secret")
	hs := httptest.NewServer(s)
	defer hs.Close()
	if code, out := get(t, hs.URL+"/api/v1/nodes", ""); code != 401 || out["kind"] != "Status" {
		t.Fatalf("no token: %d %v", code, out)
	}
	code, out := get(t, hs.URL+"/api/v1/nodes", "secret")
	if code != 200 || out["kind"] != "NodeList" || len(out["items"].([]any)) != 1 || s.NodeListings() != 1 {
		t.Fatalf("nodes: %d %v (%d listings)", code, out, s.NodeListings())
	}
	if code, out := get(t, hs.URL+"/api/v1/pods", "secret"); code != 404 || out["reason"] != "NotFound" {
		t.Fatalf("pods: %d %v", code, out)
	}
}

// The kubeconfig works with client-go, which sends no token over http.
func TestKubeconfigWithClientGo(t *testing.T) {
	s := New("")
	hs := httptest.NewServer(s)
	defer hs.Close()
	cfg, err := clientcmd.RESTConfigFromKubeConfig([]byte(Kubeconfig(hs.URL, "ignored")))
	if err != nil {
		t.Fatal(err)
	}
	hc, err := rest.HTTPClientFor(cfg)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequestWithContext(context.Background(), "GET", cfg.Host+"/api/v1/nodes", nil)
	resp, err := hc.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("%v %v", resp, err)
	}
	_ = resp.Body.Close()
	if s.NodeListings() != 1 {
		t.Fatal("not counted")
	}
}
