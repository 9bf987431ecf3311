package chartrepo

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"helm.sh/helm/v3/pkg/repo"
)

func chartTgz(t *testing.T, name, version string) []byte {
	t.Helper()
	b, err := Package(name, map[string]string{
		"Chart.yaml":          "apiVersion: v2\nname: " + name + "\nversion: " + version + "\nappVersion: \"1.0\"\ndescription: test\n",
		"templates/cm.yaml":   "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n",
		"values.yaml":         "a: 1\n",
		"templates/NOTES.txt": "hi\n",
	})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func call(t *testing.T, h http.Handler, method, path, contentType string, body []byte) (int, string) {
	t.Helper()
	req := httptest.NewRequest(method, path, bytes.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code, rec.Body.String()
}

func TestChartMuseumAPI(t *testing.T) {
	dir := t.TempDir()
	s, err := New(dir)
	if err != nil {
		t.Fatal(err)
	}
	v1, v2 := chartTgz(t, "svc", "1.0.0-master-aaaaaa"), chartTgz(t, "svc", "1.1.0-master-bbbbbb")

	for _, tc := range []struct {
		name, method, path, ctype string
		body                      []byte
		status                    int
		want                      string
	}{
		{"empty list", "GET", "/api/charts", "", nil, 200, "{}"},
		{"unknown chart", "GET", "/api/charts/svc", "", nil, 404, `{"error":"chart not found"}`},
		{"raw upload", "POST", "/api/charts", "application/octet-stream", v1, 201, `{"saved":true}`},
		{"duplicate upload", "POST", "/api/charts", "", v1, 409, `{"error":"file already exists"}`},
		{"not a chart", "POST", "/api/charts", "", []byte("nope"), 400, ""},
		{"unknown version", "GET", "/api/charts/svc/9.9.9", "", nil, 404, `{"error":"no chart version found for svc-9.9.9"}`},
		{"unknown name for a version", "GET", "/api/charts/other/1.0.0", "", nil, 404, `{"error":"no chart name found"}`},
		{"delete missing", "DELETE", "/api/charts/svc/9.9.9", "", nil, 404, ""},
		{"missing archive", "GET", "/charts/svc-9.9.9.tgz", "", nil, 404, ""},
		{"unknown route", "GET", "/api/nothing/here/at/all", "", nil, 404, ""},
	} {
		status, body := call(t, s, tc.method, tc.path, tc.ctype, tc.body)
		if status != tc.status || (tc.want != "" && body != tc.want) {
			t.Errorf("%s: %s %s = %d %q, want %d %q", tc.name, tc.method, tc.path, status, body, tc.status, tc.want)
		}
	}

	// The second version through a multipart form, as `curl -F chart=@x.tgz` sends it.
	var form bytes.Buffer
	mw := multipart.NewWriter(&form)
	fw, _ := mw.CreateFormFile("chart", "svc.tgz")
	_, _ = fw.Write(v2)
	_ = mw.Close()
	if status, body := call(t, s, "POST", "/api/charts", mw.FormDataContentType(), form.Bytes()); status != 201 {
		t.Fatalf("multipart upload: %d %s", status, body)
	}
	var empty bytes.Buffer
	mw = multipart.NewWriter(&empty)
	_ = mw.WriteField("other", "x")
	_ = mw.Close()
	if status, body := call(t, s, "POST", "/api/charts", mw.FormDataContentType(), empty.Bytes()); status != 400 || !strings.Contains(body, "form fields chart and prov") {
		t.Fatalf("multipart without chart: %d %s", status, body)
	}

	status, body := call(t, s, "GET", "/api/charts/svc", "", nil)
	var vs []map[string]any
	if status != 200 || json.Unmarshal([]byte(body), &vs) != nil || len(vs) != 2 {
		t.Fatalf("versions: %d %s", status, body)
	}
	sum := sha256.Sum256(v2)
	first := vs[0]
	if first["version"] != "1.1.0-master-bbbbbb" || first["appVersion"] != "1.0" || first["name"] != "svc" ||
		first["digest"] != hex.EncodeToString(sum[:]) || first["created"] == nil ||
		first["urls"].([]any)[0] != "charts/svc-1.1.0-master-bbbbbb.tgz" {
		t.Fatalf("newest entry: %v", first)
	}
	// "latest" is Helm's newest stable version: pipeline builds are SemVer
	// pre-releases, so there is none (as with ChartMuseum).
	if status, body := call(t, s, "GET", "/api/charts/svc/latest", "", nil); status != 404 || body != `{"error":"no chart version found for svc-"}` {
		t.Fatalf("latest: %d %s", status, body)
	}
	if status, body := call(t, s, "GET", "/charts/svc-1.0.0-master-aaaaaa.tgz", "", nil); status != 200 || body != string(v1) {
		t.Fatalf("archive: %d, %d bytes", status, len(body))
	}

	// index.yaml is a valid Helm repository index.
	_, idx := call(t, s, "GET", "/index.yaml", "", nil)
	p := filepath.Join(t.TempDir(), "index.yaml")
	if err := os.WriteFile(p, []byte(idx), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := repo.LoadIndexFile(p)
	if err != nil || len(f.Entries["svc"]) != 2 || !f.Has("svc", "1.0.0-master-aaaaaa") {
		t.Fatalf("index.yaml: %v %v\n%s", f, err, idx)
	}

	if status, body := call(t, s, "DELETE", "/api/charts/svc/1.0.0-master-aaaaaa", "", nil); status != 200 || body != `{"deleted":true}` {
		t.Fatalf("delete: %d %s", status, body)
	}
	if status, _ := call(t, s, "HEAD", "/api/charts/svc/1.0.0-master-aaaaaa", "", nil); status != 404 {
		t.Fatalf("HEAD after delete: %d", status)
	}

	// A restart finds what is stored.
	s2, err := New(dir)
	if err != nil {
		t.Fatal(err)
	}
	all, err := Local(s2).All(context.Background())
	if err != nil || len(all) != 1 || len(all["svc"]) != 1 || all["svc"][0].Version != "1.1.0-master-bbbbbb" {
		t.Fatalf("after restart: %v %v", all, err)
	}
}

func TestClient(t *testing.T) {
	s, err := New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s)
	defer hs.Close()
	c := &Client{BaseURL: hs.URL}
	ctx := context.Background()
	tgz := chartTgz(t, "app", "0.1.0")
	if err := c.Upload(ctx, tgz); err != nil {
		t.Fatal(err)
	}
	if err := c.Upload(ctx, tgz); StatusOf(err) != 409 || !strings.Contains(err.Error(), "file already exists") {
		t.Fatalf("second upload: %v", err)
	}
	if _, raw, err := c.Versions(ctx, "nope"); StatusOf(err) != 404 || string(raw) != `{"error":"chart not found"}` {
		t.Fatalf("versions of an unknown chart: %v %s", err, raw)
	}
	cv, _, err := c.Version(ctx, "app", "0.1.0")
	if err != nil || cv.Version != "0.1.0" {
		t.Fatalf("version: %v %v", cv, err)
	}
	got, err := c.Archive(ctx, "app", "0.1.0")
	if err != nil || !bytes.Equal(got, tgz) {
		t.Fatalf("archive: %v", err)
	}
	if err := c.Delete(ctx, "app", "0.1.0"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Archive(ctx, "app", "0.1.0"); StatusOf(err) != 404 {
		t.Fatalf("archive after delete: %v", err)
	}
	resp, err := http.Get(hs.URL + "/health")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if string(b) != `{"healthy":true}` {
		t.Fatalf("health: %s", b)
	}
}
