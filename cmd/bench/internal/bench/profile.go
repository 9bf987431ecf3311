package bench

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/galaxias/terraform-provider-galaxias/cmd/bench/internal/nullprovider"
	"github.com/galaxias/terraform-provider-galaxias/internal/provider"
	"github.com/galaxias/terraform-provider-galaxias/internal/provider/serve"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/tfcli"
)

// Profile finds where a refresh (or an apply) spends its time in the
// provider: it serves both families and the null provider inside this
// process in go-plugin debug mode, points terraform at them with
// TF_REATTACH_PROVIDERS, and records a CPU profile over `runs`
// refresh-plans of an applied configuration (phase refresh; the apply before
// them runs with the providers as usual, one process per family), or over
// one apply from an empty state (phase apply), then a heap profile (allocs
// since the start). The profiles include the proxies, which run in this
// process too (net/http/httputil frames); a null twin's profile (kind
// null_drone_secret, ...) shows what the framework costs without an API.
func (h *Harness) Profile(ctx context.Context, k Kind, n, runs int, phase, outDir string) error {
	if phase != phaseRefresh && phase != phaseApply {
		return fmt.Errorf("-profile: phase %q: want refresh or apply", phase)
	}
	if err := os.MkdirAll(outDir, 0o750); err != nil {
		return err
	}
	fx := h.fx
	fx.Prefix = h.fx.Prefix + "-p" + tags[k]
	cfg, _, err := generate(k, n, fx)
	if err != nil {
		return err
	}
	dir := filepath.Join(h.opt.WorkDir, fmt.Sprintf("profile-%s-%d", k, n))
	_ = os.RemoveAll(dir)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(cfg), 0o600); err != nil {
		return err
	}
	if phase == phaseRefresh {
		if _, err := h.runPhase(ctx, dir, phaseApply); err != nil {
			return err
		}
	}
	defer func() {
		if _, err := h.runPhase(context.Background(), dir, phaseDestroy); err != nil {
			h.opt.Logf("profile: destroy: %v", err)
		}
	}()

	// In-process providers read their settings from this process's
	// environment: the tokens only (a login would rotate the shared token).
	for _, kv := range [][2]string{{"DRONE_TOKEN", h.env.DroneToken}, {"GALAXIAS_TOKEN", h.env.GalaxiasToken}} {
		if err := os.Setenv(kv[0], kv[1]); err != nil {
			return err
		}
	}
	for _, v := range []string{"GALAXIAS_USERNAME", "GALAXIAS_PASSWORD", "DRONE_SERVER", "GALAXIAS_ENDPOINT"} {
		_ = os.Unsetenv(v)
	}
	for _, kv := range h.opt.TerraformEnv { // -env settings reach the in-process providers too
		if name, value, ok := strings.Cut(kv, "="); ok {
			_ = os.Setenv(name, value)
		}
	}
	serve.QuietLogs(os.Environ(), os.Setenv, "drone", "galaxias") // as main.go does
	serve.TuneGC(os.Getenv)
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	reattach, err := serveInProcess(sctx)
	if err != nil {
		return err
	}
	saved := h.tfEnv
	h.tfEnv = append(append([]string(nil), saved...), "TF_REATTACH_PROVIDERS="+reattach)
	defer func() { h.tfEnv = saved }()

	f, err := os.Create(filepath.Join(outDir, "cpu.pprof"))
	if err != nil {
		return err
	}
	defer f.Close()
	if err := pprof.StartCPUProfile(f); err != nil {
		return err
	}
	if phase == phaseApply {
		runs = 1 // from an empty state once: the destroy after it is not profiled
	}
	for range max(1, runs) {
		s, err := h.runPhase(ctx, dir, phase)
		h.opt.Logf("profile %s N=%d %s %.2fs (providers in-process)  requests=%d", k, n, phase, s.WallS, s.total().Requests)
		if err != nil {
			pprof.StopCPUProfile()
			return err
		}
	}
	pprof.StopCPUProfile()
	runtime.GC()
	hf, err := os.Create(filepath.Join(outDir, "heap.pprof"))
	if err != nil {
		return err
	}
	defer hf.Close()
	return pprof.Lookup("allocs").WriteTo(hf, 0)
}

// serveInProcess starts both provider families and the null provider in
// this process and returns the TF_REATTACH_PROVIDERS value for them.
func serveInProcess(ctx context.Context) (string, error) {
	servers := map[string]func() tfprotov6.ProviderServer{}
	for _, fam := range []string{"drone", "galaxias"} {
		server, err := provider.Server(fam, "bench")
		if err != nil {
			return "", err
		}
		servers[provider.Address(fam)] = server
	}
	servers[nullprovider.Address] = func() tfprotov6.ProviderServer {
		return serve.ContextGuard(providerserver.NewProtocol6(nullprovider.New())(), serve.SweepEvery) // as cmd/bench/nullprovider
	}
	reattach, _, err := tfcli.Serve(ctx, servers)
	return reattach, err
}
