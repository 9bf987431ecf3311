package acctest

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
)

// Recorder is a reverse proxy in front of the stack's Drone that records the
// requests going through it, to check what a provider operation sent.
type Recorder struct {
	URL   string // point the provider's server at it
	mu    sync.Mutex
	calls []string // "METHOD /path"
}

// DroneRecorder starts a Recorder in front of DRONE_SERVER for the test.
func DroneRecorder(t testing.TB) *Recorder {
	t.Helper()
	target, err := url.Parse(Env(t, "DRONE_SERVER"))
	if err != nil {
		t.Fatal(err)
	}
	rec := &Recorder{}
	proxy := httputil.NewSingleHostReverseProxy(target)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.mu.Lock()
		rec.calls = append(rec.calls, r.Method+" "+r.URL.Path)
		rec.mu.Unlock()
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	rec.URL = srv.URL
	return rec
}

// Calls returns the requests recorded so far.
func (r *Recorder) Calls() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.calls...)
}

// Writes returns the recorded requests that are not GET, HEAD or OPTIONS,
// sorted.
func (r *Recorder) Writes() []string {
	var w []string
	for _, c := range r.Calls() {
		m, _, _ := strings.Cut(c, " ")
		if m != http.MethodGet && m != http.MethodHead && m != http.MethodOptions {
			w = append(w, c)
		}
	}
	sort.Strings(w)
	return w
}

// Reset forgets the recorded requests.
func (r *Recorder) Reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = nil
}

// DroneDo calls the Drone API with the admin token and fails the test on an
// error.
func DroneDo(t testing.TB, method, path string, in, out any) {
	t.Helper()
	if err := Drone(t).Do(context.Background(), method, path, in, out); err != nil {
		t.Fatalf("drone %s %s: %v", method, path, err)
	}
}

// CleanupDrone deletes a Drone object (org secret, user...) when the test
// ends, whatever Terraform did; a 404 is fine.
func CleanupDrone(t testing.TB, path string) {
	t.Helper()
	t.Cleanup(func() {
		_ = Drone(t).Do(context.Background(), http.MethodDelete, path, nil, nil)
	})
}

// TerraformCLI runs the terraform binary in a directory, with a provider
// served in-process (as terraform-plugin-testing does) under a registry
// address such as "registry.terraform.io/galaxias/drone". It is for tests
// that need the CLI itself: state fixtures, `terraform state` commands.
type TerraformCLI struct {
	Dir string
	bin string
	env []string
}

// NewTerraformCLI serves the provider for the test and returns a CLI bound
// to dir.
func NewTerraformCLI(t testing.TB, dir, address string, provider func() tfprotov6.ProviderServer) *TerraformCLI {
	t.Helper()
	bin := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if bin == "" {
		var err error
		if bin, err = exec.LookPath("terraform"); err != nil {
			t.Fatalf("terraform binary not found: %v", err)
		}
	}
	env := append(os.Environ(), "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1")
	env = append(env, Reattach(t, map[string]func() tfprotov6.ProviderServer{address: provider})...)
	return &TerraformCLI{Dir: dir, bin: bin, env: env}
}

// Reattach serves providers (by registry address) in this test process, as
// terraform-plugin-testing does, until the test ends, and returns the
// environment that makes the terraform CLI use them: TF_REATTACH_PROVIDERS,
// and an empty CLI configuration (no development overrides, which the
// stack's env sets, and no other installation).
func Reattach(t testing.TB, providers map[string]func() tfprotov6.ProviderServer) []string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	type addr struct{ Network, String string }
	reattach := map[string]any{}
	for address, provider := range providers {
		ch := make(chan *plugin.ReattachConfig, 1)
		closed := make(chan struct{})
		go func() {
			if err := tf6server.Serve(address, provider, tf6server.WithDebug(ctx, ch, closed),
				tf6server.WithoutLogStderrOverride(), tf6server.WithGoPluginLogger(hclog.NewNullLogger())); err != nil {
				t.Errorf("serving %s: %v", address, err)
			}
		}()
		var rc *plugin.ReattachConfig
		select {
		case rc = <-ch:
		case <-time.After(30 * time.Second):
			cancel()
			t.Fatalf("timeout waiting for the in-process provider %s", address)
		}
		t.Cleanup(func() { <-closed })
		reattach[address] = map[string]any{
			"Protocol": string(rc.Protocol), "ProtocolVersion": rc.ProtocolVersion, "Pid": rc.Pid, "Test": true,
			"Addr": addr{rc.Addr.Network(), rc.Addr.String()},
		}
	}
	t.Cleanup(cancel) // runs before the waits on closed (cleanups are LIFO)
	cfg, err := json.Marshal(reattach)
	if err != nil {
		t.Fatal(err)
	}
	cliConfig := filepath.Join(t.TempDir(), "terraformrc")
	if err := os.WriteFile(cliConfig, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	return []string{"TF_REATTACH_PROVIDERS=" + string(cfg), "TF_CLI_CONFIG_FILE=" + cliConfig}
}

// Run runs terraform with args and returns its stdout and exit code; it
// fails the test when the command cannot run or exits with a code not in ok.
func (c *TerraformCLI) Run(t testing.TB, ok []int, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(c.bin, args...)
	cmd.Dir = c.Dir
	cmd.Env = c.env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if exit, isExit := err.(*exec.ExitError); isExit {
		code = exit.ExitCode()
	} else if err != nil {
		t.Fatalf("terraform %s: %v", strings.Join(args, " "), err)
	}
	if !slices.Contains(ok, code) {
		t.Fatalf("terraform %s: exit code %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, stdout.String(), stderr.String())
	}
	return stdout.String(), code
}
