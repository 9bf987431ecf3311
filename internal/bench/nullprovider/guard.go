package nullprovider

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// ContextGuard wraps a framework provider server to show, in the benchmark,
// a workaround for the memory that grows with the number of RPCs:
// terraform-plugin-framework (internal/proto6server registerContext, v1.19)
// keeps the CancelFunc of every RPC's context until StopProvider, and with it
// the whole per-RPC logging context. The guard calls the inner StopProvider
// — which only cancels those contexts and forgets them — while no RPC is in
// flight, every sweepEvery RPCs. Only the RPCs made once per resource are
// wrapped; the others are few.
func ContextGuard(s tfprotov6.ProviderServer) tfprotov6.ProviderServer {
	return &guard{ProviderServer: s}
}

const sweepEvery = 256

type guard struct {
	tfprotov6.ProviderServer
	mu    sync.RWMutex // RPCs hold it shared; a sweep holds it exclusively
	since atomic.Int64
}

func (g *guard) enter() func() {
	g.mu.RLock()
	return func() {
		g.mu.RUnlock()
		if g.since.Add(1) >= sweepEvery && g.mu.TryLock() {
			g.since.Store(0)
			_, _ = g.ProviderServer.StopProvider(context.Background(), &tfprotov6.StopProviderRequest{})
			g.mu.Unlock()
		}
	}
}

func (g *guard) ValidateResourceConfig(ctx context.Context, r *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	defer g.enter()()
	return g.ProviderServer.ValidateResourceConfig(ctx, r)
}

func (g *guard) UpgradeResourceState(ctx context.Context, r *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	defer g.enter()()
	return g.ProviderServer.UpgradeResourceState(ctx, r)
}

func (g *guard) ReadResource(ctx context.Context, r *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	defer g.enter()()
	return g.ProviderServer.ReadResource(ctx, r)
}

func (g *guard) PlanResourceChange(ctx context.Context, r *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	defer g.enter()()
	return g.ProviderServer.PlanResourceChange(ctx, r)
}

func (g *guard) ApplyResourceChange(ctx context.Context, r *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	defer g.enter()()
	return g.ProviderServer.ApplyResourceChange(ctx, r)
}
