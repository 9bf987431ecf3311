// Package reliability_test holds the reliability tests of issue #7: both
// providers under injected faults, interrupted applies, and bad input.
package reliability_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/galaxias/terraform-provider-galaxias/internal/drone"
	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/acctest"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/tfcli"
)

// cli runs the Terraform CLI in a directory, with the providers either
// served in-process (newCLI) or installed from a build of this tree
// (newRealTerraform); output is stdout and stderr together.
type cli struct {
	tfcli.CLI
}

// newCLI serves both providers in this process (reattached), so that the
// providers under test are this tree's.
func newCLI(t *testing.T, dir string) *cli {
	t.Helper()
	// The providers run in this process: keep their logs out of the test's.
	for _, v := range []string{"TF_LOG", "TF_LOG_PROVIDER", "TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK"} {
		t.Setenv(v, "off")
	}
	env := slices.Concat(keepStackEnvOut, acctest.Reattach(t, map[string]func() tfprotov6.ProviderServer{
		"registry.terraform.io/galaxias/drone":    providerserver.NewProtocol6(drone.New("test")()),
		"registry.terraform.io/galaxias/galaxias": providerserver.NewProtocol6(galaxias.New("test")()),
	}))
	return &cli{tfcli.CLI{Dir: dir, Env: env}}
}

// keepStackEnvOut: the configurations give every credential; keep a
// sourced .stack/env out.
var keepStackEnvOut = []string{"GALAXIAS_TOKEN=", "GALAXIAS_USERNAME=", "GALAXIAS_PASSWORD=", "DRONE_SERVER=", "DRONE_TOKEN="}

// start starts the CLI with args, its output going to the buffer.
func (c *cli) start(args ...string) (*exec.Cmd, *bytes.Buffer, error) {
	cmd := c.Command(context.Background(), args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	return cmd, &out, cmd.Start()
}

// run runs the CLI and returns its exit code and output.
func (c *cli) run(t *testing.T, args ...string) (int, string) {
	t.Helper()
	cmd, out, err := c.start(args...)
	if err != nil {
		t.Fatal(err)
	}
	begin := time.Now()
	timer := time.AfterFunc(5*time.Minute, func() { _ = cmd.Process.Kill() })
	defer timer.Stop()
	err = cmd.Wait()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	t.Logf("terraform %s: exit %d (%s)", strings.Join(args, " "), code, time.Since(begin).Round(time.Millisecond))
	return code, out.String()
}

// must runs the CLI and fails the test unless it exits with want.
func (c *cli) must(t *testing.T, want int, args ...string) string {
	t.Helper()
	code, out := c.run(t, args...)
	if code != want {
		t.Fatalf("terraform %s: exit %d, want %d:\n%s", strings.Join(args, " "), code, want, out)
	}
	return out
}

// errorLines returns the "Error:" lines of terraform's output, for the log.
func errorLines(out string) string {
	var b strings.Builder
	lines := strings.Split(out, "\n")
	for i, l := range lines {
		if strings.Contains(l, "Error: ") {
			b.WriteString(strings.TrimSpace(strings.Trim(l, "│╷╵ ")))
			for _, next := range lines[i+1 : min(i+8, len(lines))] {
				if s := strings.TrimSpace(strings.Trim(next, "│╷╵ ")); s != "" && !strings.HasPrefix(s, "with ") && !strings.HasPrefix(s, "on ") && (s[0] < '0' || s[0] > '9') {
					b.WriteString(" / " + s)
					break
				}
			}
			b.WriteString("\n")
		}
	}
	return b.String()
}

// Kinds of faults the Drone proxy injects.
const (
	kind500        = "500"
	kind502After   = "502-after" // Drone processed the request; the gateway answers 502
	kind503        = "503"       // with Retry-After
	kind429        = "429"       // with Retry-After
	kindDropBefore = "drop-before"
	kindDropAfter  = "drop-after"
	kindLatency    = "latency"
	kindSlowAfter  = "slow-after" // Drone processed the request; the answer comes after fp.latency
)

// faultProxy is a reverse proxy in front of Drone that disturbs a fraction
// of the requests, as the reference server's fault switches do for
// Galaxias. Requests not picked go through unchanged.
type faultProxy struct {
	URL string

	mu       sync.Mutex
	rate     float64
	rng      *rand.Rand
	kinds    []string
	force    map[string][]string // "METHOD path-prefix" -> kinds to inject first, in order
	counts   map[string]int
	requests int
	latency  time.Duration
	hook     func(r *http.Request) // called for every request, before faults
}

func newFaultProxy(t *testing.T, target string) *faultProxy {
	t.Helper()
	seed := uint64(time.Now().UnixNano())
	if v := os.Getenv("RELIABILITY_SEED"); v != "" {
		seed, _ = strconv.ParseUint(v, 10, 64)
	}
	t.Logf("Drone fault proxy seed %d (set RELIABILITY_SEED to repeat)", seed)
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	fp := &faultProxy{
		rng:     rand.New(rand.NewPCG(seed, seed>>1)), //nolint:gosec // test faults
		kinds:   []string{kind500, kind502After, kind503, kind429, kindDropBefore, kindDropAfter, kindLatency},
		force:   map[string][]string{},
		counts:  map[string]int{},
		latency: 150 * time.Millisecond,
	}
	proxy := httputil.NewSingleHostReverseProxy(u)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		kind := fp.pick(r)
		switch kind {
		case kind500:
			http.Error(w, `{"message":"injected fault: internal server error"}`, http.StatusInternalServerError)
		case kind503, kind429:
			w.Header().Set("Retry-After", strconv.Itoa(fp.retryAfter()))
			code := http.StatusServiceUnavailable
			if kind == kind429 {
				code = http.StatusTooManyRequests
			}
			http.Error(w, `{"message":"injected fault"}`, code)
		case kindDropBefore:
			hijackClose(w)
		case kindDropAfter:
			proxy.ServeHTTP(httptest.NewRecorder(), r)
			hijackClose(w)
		case kind502After:
			proxy.ServeHTTP(httptest.NewRecorder(), r)
			http.Error(w, `{"message":"injected fault: bad gateway"}`, http.StatusBadGateway)
		case kindLatency:
			time.Sleep(fp.latency)
			proxy.ServeHTTP(w, r)
		case kindSlowAfter:
			rec := httptest.NewRecorder()
			proxy.ServeHTTP(rec, r)
			select {
			case <-time.After(fp.latency):
			case <-r.Context().Done(): // the client gave up: it never gets the answer
				return
			}
			for k, v := range rec.Header() {
				w.Header()[k] = v
			}
			w.WriteHeader(rec.Code)
			_, _ = w.Write(rec.Body.Bytes())
		default:
			proxy.ServeHTTP(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	fp.URL = srv.URL
	return fp
}

func hijackClose(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}

func (fp *faultProxy) retryAfter() int {
	fp.mu.Lock()
	defer fp.mu.Unlock()
	return fp.rng.IntN(2) // 0 or 1 second
}

func (fp *faultProxy) pick(r *http.Request) string {
	fp.mu.Lock()
	hook := fp.hook
	fp.requests++
	var kind string
	for key, kinds := range fp.force {
		m, prefix, _ := strings.Cut(key, " ")
		if len(kinds) > 0 && r.Method == m && strings.HasPrefix(r.URL.Path, prefix) {
			kind, fp.force[key] = kinds[0], kinds[1:]
			break
		}
	}
	if kind == "" && fp.rate > 0 && fp.rng.Float64() < fp.rate {
		kind = fp.kinds[fp.rng.IntN(len(fp.kinds))]
	}
	if kind != "" {
		fp.counts[kind]++
	}
	fp.mu.Unlock()
	if hook != nil {
		hook(r)
	}
	return kind
}

// set changes the rate of random faults (0: off) and clears forced ones.
func (fp *faultProxy) set(rate float64) {
	fp.mu.Lock()
	defer fp.mu.Unlock()
	fp.rate = rate
	if rate == 0 {
		fp.force = map[string][]string{}
	}
}

// forceNext injects kinds, in order, into the next requests matching
// "METHOD path-prefix".
func (fp *faultProxy) forceNext(route string, kinds ...string) {
	fp.mu.Lock()
	defer fp.mu.Unlock()
	fp.force[route] = append(fp.force[route], kinds...)
}

func (fp *faultProxy) summary() string {
	fp.mu.Lock()
	defer fp.mu.Unlock()
	var parts []string
	total := 0
	for k, n := range fp.counts {
		parts = append(parts, fmt.Sprintf("%s=%d", k, n))
		total += n
	}
	sort.Strings(parts)
	return fmt.Sprintf("%d of %d requests disturbed (%s)", total, fp.requests, strings.Join(parts, " "))
}
