package refserver_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/galaxias/terraform-provider-galaxias/internal/testing/chartrepo"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/refserver"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/refserver/refservertest"
)

// The surroundings of a replayed server: a chart repository that can be
// taken down (the recording had "nothing listening" phases) and holds the
// charts the transcripts name, and the fake Kubernetes API of
// refservertest.Start.

type replayEnv struct {
	t          *testing.T
	kubeURL    string
	repo       *switchRepo
	pushed     map[string]bool // name/version of the charts in the repository
	tillerDown bool
}

// startReplay starts a fresh rock-dialect server with its surroundings.
func startReplay(t *testing.T) (*refservertest.Started, *replayEnv) {
	t.Helper()
	repo := newSwitchRepo(t)
	srv := refservertest.Start(t, refserver.Options{Dialect: refserver.DialectRock, ChartRepo: repo.url(),
		TokenExpire: 30 * time.Minute}) // the recorded server's setting (Max-Age=1800)
	kube := httptest.NewServer(http.HandlerFunc(recorderKubeFixture))
	t.Cleanup(kube.Close)
	return srv, &replayEnv{t: t, kubeURL: kube.URL, repo: repo, pushed: map[string]bool{}}
}

// recorderKubeFixture answers as the recorder's Kubernetes API fixture did:
// every /api/v1/nodes... path with an empty NodeList, anything else with a
// 404 Status.
func recorderKubeFixture(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	if strings.HasPrefix(r.URL.Path, "/api/v1/nodes") {
		_, _ = io.WriteString(w, `{"kind":"NodeList","apiVersion":"v1","metadata":{"resourceVersion":"1"},"items":[]}`)
		return
	}
	// a Status with no message and no details: what the recorded answers
	// that pass it on hold (deployments.jsonl 40-41)
	w.WriteHeader(http.StatusNotFound)
	_, _ = io.WriteString(w, `{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","reason":"NotFound","code":404}`)
}

// seed puts into the repository every chart version that the recorded
// answers of recs list, and those whose deletion was recorded as a success.
func (e *replayEnv) seed(recs []exchange) {
	del := regexp.MustCompile(`^/v1/charts/([^/]+)/versions/([^/?]+)$`)
	for i := range recs {
		x := &recs[i]
		walkCharts(x.ResponseBody, e.push)
		if m := del.FindStringSubmatch(x.Path); m != nil && x.Method == "DELETE" && x.Status == 204 {
			e.push(m[1], m[2])
		}
	}
}

// walkCharts calls f for every chart entry ({name, version, urls}) in v.
func walkCharts(v any, f func(name, version string)) {
	switch o := v.(type) {
	case map[string]any:
		name, _ := o["name"].(string)
		version, _ := o["version"].(string)
		if _, ok := o["urls"]; ok && name != "" && version != "" {
			f(name, version)
		}
		for _, w := range o {
			walkCharts(w, f)
		}
	case []any:
		for _, w := range o {
			walkCharts(w, f)
		}
	}
}

// before sets up the conditions of an exchange: the chart repository is
// down where the recorder's note says nothing listened, and Tiller where
// it says the stub Tiller stopped; a deployment the
// recording shows succeeding (stub helm: any chart installs) finds its
// chart; one that failed for want of a helm binary finds none, which the
// dialect answers with the same error.
func (e *replayEnv) before(p *replayer, x *exchange) {
	if strings.Contains(x.Note, "chart repository: nothing listening") {
		e.repo.down()
	} else {
		e.repo.up()
	}
	e.tiller(p, strings.Contains(x.Note, "stub Tiller stopped"))
	if x.Method == "POST" && x.Path == "/v1/deployments" && x.Status == 201 {
		if b, ok := x.RequestBody.(map[string]any); ok {
			name, _ := b["chart_name"].(string)
			version, _ := b["chart_version"].(string)
			e.push(name, version)
		}
	}
}

// tiller sets the test switch "Tiller is down" of every cluster the replay
// created (the recording had one stub Tiller for every cluster), or clears
// it.
func (e *replayEnv) tiller(p *replayer, down bool) {
	if down == e.tillerDown {
		return
	}
	var clusters []int64
	if down {
		for k, id := range p.ids {
			if k.kind == "clusters" {
				clusters = append(clusters, id)
			}
		}
	}
	refservertest.SetTillerDown(e.t, p.srv.URL, p.token("user:admin"), clusters...)
	e.tillerDown = down
}

func (e *replayEnv) push(name, version string) {
	if e.pushed[name+"/"+version] || name == "" || version == "" {
		return
	}
	e.repo.up()
	tgz, err := chartrepo.Package(name, map[string]string{
		"Chart.yaml":        fmt.Sprintf("apiVersion: v1\nname: %s\nversion: %s\ndescription: A Helm chart for Kubernetes\nappVersion: \"1.0\"\n", name, version),
		"templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  replicas: {{ .Values.replicaCount | default 1 | quote }}\n",
	})
	if err != nil {
		e.t.Fatal(err)
	}
	c := &chartrepo.Client{BaseURL: e.repo.url()}
	if err := c.Upload(context.Background(), tgz); err != nil {
		e.t.Fatalf("push %s %s: %v", name, version, err)
	}
	e.pushed[name+"/"+version] = true
}

// switchRepo is a chart repository on a fixed loopback address that can
// stop listening and listen again.
type switchRepo struct {
	t    *testing.T
	addr string
	h    http.Handler
	srv  *http.Server
}

func newSwitchRepo(t *testing.T) *switchRepo {
	h, err := chartrepo.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r := &switchRepo{t: t, addr: ln.Addr().String(), h: h}
	r.serve(ln)
	t.Cleanup(r.down)
	return r
}

func (r *switchRepo) url() string { return "http://" + r.addr }

func (r *switchRepo) serve(ln net.Listener) {
	r.srv = &http.Server{Handler: r.h, ReadHeaderTimeout: 10 * time.Second}
	go func(s *http.Server) {
		if err := s.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			r.t.Errorf("chart repository: %v", err)
		}
	}(r.srv)
}

func (r *switchRepo) up() {
	if r.srv != nil {
		return
	}
	ln, err := net.Listen("tcp", r.addr)
	if err != nil {
		r.t.Fatalf("chart repository back on %s: %v", r.addr, err)
	}
	r.serve(ln)
}

func (r *switchRepo) down() {
	if r.srv != nil {
		_ = r.srv.Close()
		r.srv = nil
	}
}
