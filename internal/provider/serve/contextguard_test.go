package serve_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/galaxias/terraform-provider-galaxias/internal/provider/serve"
)

// retainer behaves like terraform-plugin-framework's proto6server: every RPC
// registers a cancellable context, and StopProvider cancels and forgets all
// of them. ReadResource reports an RPC that saw its own context cancelled
// before it returned; hold, when set, blocks it until closed.
type retainer struct {
	tfprotov6.ProviderServer // the RPCs the tests do not call

	mu       sync.Mutex
	cancels  []context.CancelFunc
	stops    int
	brokenIn atomic.Int64
	hold     chan struct{}
	started  chan context.Context
}

func (f *retainer) retained() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.cancels)
}

func (f *retainer) ReadResource(ctx context.Context, _ *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	ctx, cancel := context.WithCancel(ctx)
	f.mu.Lock()
	f.cancels = append(f.cancels, cancel)
	hold := f.hold
	f.mu.Unlock()
	if hold != nil {
		f.started <- ctx
		<-hold
	}
	if ctx.Err() != nil {
		f.brokenIn.Add(1)
	}
	return &tfprotov6.ReadResourceResponse{}, nil
}

func (f *retainer) StopProvider(context.Context, *tfprotov6.StopProviderRequest) (*tfprotov6.StopProviderResponse, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, c := range f.cancels {
		c()
	}
	f.cancels = nil
	f.stops++
	return &tfprotov6.StopProviderResponse{}, nil
}

func read(t *testing.T, s tfprotov6.ProviderServer) {
	t.Helper()
	if _, err := s.ReadResource(context.Background(), &tfprotov6.ReadResourceRequest{}); err != nil {
		t.Fatal(err)
	}
}

func TestContextGuard_boundsRetainedContexts(t *testing.T) {
	bare := &retainer{}
	for range 1000 {
		read(t, bare)
	}
	if got := bare.retained(); got != 1000 {
		t.Fatalf("without the guard the fake retains %d contexts, want 1000 (the framework's behaviour)", got)
	}

	inner := &retainer{}
	g := serve.ContextGuard(inner, 256)
	for range 1000 {
		read(t, g)
	}
	if got := inner.retained(); got != 1000-3*256 {
		t.Errorf("retained %d contexts after 1000 RPCs, want %d", got, 1000-3*256)
	}
	if inner.stops != 3 {
		t.Errorf("swept %d times, want 3", inner.stops)
	}
	if n := inner.brokenIn.Load(); n != 0 {
		t.Errorf("%d RPCs saw their context cancelled while running", n)
	}
}

func TestContextGuard_neverCancelsAnRPCInFlight(t *testing.T) {
	hold := make(chan struct{})
	inner := &retainer{hold: hold, started: make(chan context.Context, 1)}
	g := serve.ContextGuard(inner, 4)

	done := make(chan struct{})
	go func() { defer close(done); read(t, g) }()
	slow := <-inner.started

	inner.mu.Lock()
	inner.hold = nil // the RPCs below return at once
	inner.mu.Unlock()
	for range 50 {
		read(t, g)
	}
	if slow.Err() != nil {
		t.Fatal("a sweep cancelled the context of an RPC still in flight")
	}
	if got := inner.retained(); got != 51 {
		t.Fatalf("retained %d contexts with an RPC in flight, want all 51 (no sweep)", got)
	}

	close(hold)
	<-done
	if got := inner.retained(); got != 0 {
		t.Errorf("retained %d contexts after the last RPC in flight returned, want 0", got)
	}
	if slow.Err() == nil {
		t.Error("the slow RPC's context was not released by the sweep after it returned")
	}
	if n := inner.brokenIn.Load(); n != 0 {
		t.Errorf("%d RPCs saw their context cancelled while running", n)
	}
}

func TestContextGuard_interruptReachesRPCsInFlight(t *testing.T) {
	hold := make(chan struct{})
	inner := &retainer{hold: hold, started: make(chan context.Context, 1)}
	g := serve.ContextGuard(inner, 256)
	done := make(chan struct{})
	go func() { defer close(done); read(t, g) }()
	ctx := <-inner.started

	// Terraform's StopProvider must not wait for the RPC it interrupts.
	if _, err := g.StopProvider(context.Background(), &tfprotov6.StopProviderRequest{}); err != nil {
		t.Fatal(err)
	}
	if ctx.Err() == nil {
		t.Error("StopProvider from Terraform did not cancel the RPC in flight")
	}
	close(hold)
	<-done
}

func TestContextGuard_concurrentRPCs(t *testing.T) {
	inner := &retainer{}
	g := serve.ContextGuard(inner, 8)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 500 {
				read(t, g)
			}
		})
	}
	wg.Wait()
	if n := inner.brokenIn.Load(); n != 0 {
		t.Errorf("%d RPCs saw their context cancelled while running", n)
	}
	if inner.stops == 0 {
		t.Error("4000 concurrent RPCs never found a moment to sweep")
	}
	if got := inner.retained(); got >= 4000 {
		t.Errorf("retained %d contexts: the guard never swept", got)
	}
}
