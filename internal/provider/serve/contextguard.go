package serve

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// SweepEvery is how many finished RPCs ContextGuard lets the framework keep
// before it asks it to forget them.
const SweepEvery = 256

// ContextGuard bounds the memory a terraform-plugin-framework server keeps
// per RPC. The framework (internal/proto6server registerContext, v1.19)
// keeps the CancelFunc of every RPC's context, and with it the whole
// per-call logging context, until StopProvider; in a refresh of 1000
// resources that is most of the provider's memory (docs/performance.md).
//
// The framework's StopProvider does nothing but cancel and forget those
// contexts, so the guard calls it itself, after every sweepEvery finished
// RPCs, at a moment when no RPC is in flight: RPCs hold a shared lock and
// the sweep takes it exclusively, without waiting. A context is therefore
// only cancelled after its RPC has returned. A StopProvider sent by
// Terraform (an interrupt) passes straight through and cancels the RPCs in
// flight, as before.
//
// Every RPC of tfprotov6.ProviderServer is wrapped explicitly; nothing is
// embedded, so a new RPC in terraform-plugin-go fails to compile here
// instead of escaping the lock. The optional list-resource RPCs are
// wrapped too (the inner server must offer them): a list resource makes
// all its results before ListResource returns, so the stream outlives the
// lock harmlessly. The action and state-store RPCs are not offered:
// neither provider has any (a test checks their schemas), and tf6server
// answers them as unimplemented.
func ContextGuard(inner tfprotov6.ProviderServer, sweepEvery int) tfprotov6.ProviderServer {
	if sweepEvery < 1 {
		sweepEvery = 1
	}
	g := &contextGuard{inner: inner, every: int64(sweepEvery)}
	if l, ok := inner.(tfprotov6.ListResourceServer); ok {
		return &listGuard{contextGuard: g, lists: l}
	}
	return g
}

// listGuard is the guard of a server with list resources.
type listGuard struct {
	*contextGuard
	lists tfprotov6.ListResourceServer
}

type contextGuard struct {
	inner tfprotov6.ProviderServer
	every int64
	mu    sync.RWMutex // RPCs hold it shared; a sweep holds it exclusively
	since atomic.Int64 // RPCs finished since the last sweep
}

// guarded runs one RPC under the shared lock and sweeps after it when due.
func guarded[Req, Resp any](g *contextGuard, ctx context.Context, req Req, rpc func(context.Context, Req) (Resp, error)) (Resp, error) {
	g.mu.RLock()
	defer g.finished()
	return rpc(ctx, req)
}

func (g *contextGuard) finished() {
	g.mu.RUnlock()
	if g.since.Add(1) >= g.every && g.mu.TryLock() {
		g.since.Store(0)
		_, _ = g.inner.StopProvider(context.Background(), &tfprotov6.StopProviderRequest{})
		g.mu.Unlock()
	}
}

// StopProvider is Terraform's interrupt: it must reach the RPCs in flight,
// so it does not wait for the lock.
func (g *contextGuard) StopProvider(ctx context.Context, r *tfprotov6.StopProviderRequest) (*tfprotov6.StopProviderResponse, error) {
	return g.inner.StopProvider(ctx, r)
}

func (g *contextGuard) GetMetadata(ctx context.Context, r *tfprotov6.GetMetadataRequest) (*tfprotov6.GetMetadataResponse, error) {
	return guarded(g, ctx, r, g.inner.GetMetadata)
}

func (g *contextGuard) GetProviderSchema(ctx context.Context, r *tfprotov6.GetProviderSchemaRequest) (*tfprotov6.GetProviderSchemaResponse, error) {
	return guarded(g, ctx, r, g.inner.GetProviderSchema)
}

func (g *contextGuard) GetResourceIdentitySchemas(ctx context.Context, r *tfprotov6.GetResourceIdentitySchemasRequest) (*tfprotov6.GetResourceIdentitySchemasResponse, error) {
	return guarded(g, ctx, r, g.inner.GetResourceIdentitySchemas)
}

func (g *contextGuard) ValidateProviderConfig(ctx context.Context, r *tfprotov6.ValidateProviderConfigRequest) (*tfprotov6.ValidateProviderConfigResponse, error) {
	return guarded(g, ctx, r, g.inner.ValidateProviderConfig)
}

func (g *contextGuard) ConfigureProvider(ctx context.Context, r *tfprotov6.ConfigureProviderRequest) (*tfprotov6.ConfigureProviderResponse, error) {
	return guarded(g, ctx, r, g.inner.ConfigureProvider)
}

func (g *contextGuard) ValidateResourceConfig(ctx context.Context, r *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	return guarded(g, ctx, r, g.inner.ValidateResourceConfig)
}

func (g *contextGuard) UpgradeResourceState(ctx context.Context, r *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	return guarded(g, ctx, r, g.inner.UpgradeResourceState)
}

func (g *contextGuard) ReadResource(ctx context.Context, r *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	return guarded(g, ctx, r, g.inner.ReadResource)
}

func (g *contextGuard) PlanResourceChange(ctx context.Context, r *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	return guarded(g, ctx, r, g.inner.PlanResourceChange)
}

func (g *contextGuard) ApplyResourceChange(ctx context.Context, r *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	return guarded(g, ctx, r, g.inner.ApplyResourceChange)
}

func (g *contextGuard) ImportResourceState(ctx context.Context, r *tfprotov6.ImportResourceStateRequest) (*tfprotov6.ImportResourceStateResponse, error) {
	return guarded(g, ctx, r, g.inner.ImportResourceState)
}

func (g *contextGuard) MoveResourceState(ctx context.Context, r *tfprotov6.MoveResourceStateRequest) (*tfprotov6.MoveResourceStateResponse, error) {
	return guarded(g, ctx, r, g.inner.MoveResourceState)
}

func (g *contextGuard) UpgradeResourceIdentity(ctx context.Context, r *tfprotov6.UpgradeResourceIdentityRequest) (*tfprotov6.UpgradeResourceIdentityResponse, error) {
	return guarded(g, ctx, r, g.inner.UpgradeResourceIdentity)
}

func (g *contextGuard) GenerateResourceConfig(ctx context.Context, r *tfprotov6.GenerateResourceConfigRequest) (*tfprotov6.GenerateResourceConfigResponse, error) {
	return guarded(g, ctx, r, g.inner.GenerateResourceConfig)
}

func (g *contextGuard) ValidateDataResourceConfig(ctx context.Context, r *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	return guarded(g, ctx, r, g.inner.ValidateDataResourceConfig)
}

func (g *contextGuard) ReadDataSource(ctx context.Context, r *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	return guarded(g, ctx, r, g.inner.ReadDataSource)
}

func (g *contextGuard) CallFunction(ctx context.Context, r *tfprotov6.CallFunctionRequest) (*tfprotov6.CallFunctionResponse, error) {
	return guarded(g, ctx, r, g.inner.CallFunction)
}

func (g *contextGuard) GetFunctions(ctx context.Context, r *tfprotov6.GetFunctionsRequest) (*tfprotov6.GetFunctionsResponse, error) {
	return guarded(g, ctx, r, g.inner.GetFunctions)
}

func (g *contextGuard) ValidateEphemeralResourceConfig(ctx context.Context, r *tfprotov6.ValidateEphemeralResourceConfigRequest) (*tfprotov6.ValidateEphemeralResourceConfigResponse, error) {
	return guarded(g, ctx, r, g.inner.ValidateEphemeralResourceConfig)
}

func (g *contextGuard) OpenEphemeralResource(ctx context.Context, r *tfprotov6.OpenEphemeralResourceRequest) (*tfprotov6.OpenEphemeralResourceResponse, error) {
	return guarded(g, ctx, r, g.inner.OpenEphemeralResource)
}

func (g *contextGuard) RenewEphemeralResource(ctx context.Context, r *tfprotov6.RenewEphemeralResourceRequest) (*tfprotov6.RenewEphemeralResourceResponse, error) {
	return guarded(g, ctx, r, g.inner.RenewEphemeralResource)
}

func (g *contextGuard) CloseEphemeralResource(ctx context.Context, r *tfprotov6.CloseEphemeralResourceRequest) (*tfprotov6.CloseEphemeralResourceResponse, error) {
	return guarded(g, ctx, r, g.inner.CloseEphemeralResource)
}

func (g *listGuard) ValidateListResourceConfig(ctx context.Context, r *tfprotov6.ValidateListResourceConfigRequest) (*tfprotov6.ValidateListResourceConfigResponse, error) {
	return guarded(g.contextGuard, ctx, r, g.lists.ValidateListResourceConfig)
}

func (g *listGuard) ListResource(ctx context.Context, r *tfprotov6.ListResourceRequest) (*tfprotov6.ListResourceServerStream, error) {
	return guarded(g.contextGuard, ctx, r, g.lists.ListResource)
}
