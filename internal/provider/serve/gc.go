package serve

import (
	"math"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
)

// gcPercent is the garbage collector's target that TuneGC sets.
const gcPercent = 400

// The soft memory limit TuneGC keeps: memBase while the live heap is small,
// else memFloorFactor × the live heap + memSlack, so that the limit never
// comes close to the live heap (a limit at the live heap would make the
// collector run back to back).
const (
	memBase        = 28 << 20
	memFloorFactor = 2 // a collection at the latest when the heap has doubled: Go's default, GOGC=100
	memSlack       = 8 << 20
)

// TuneGC sets the provider's garbage collector, unless GOGC or GOMEMLIMIT is
// set (then the user's setting stands alone). A provider lives for one
// Terraform command, its live heap is small (a few MiB with ContextGuard),
// and every collection takes CPU from Terraform core on the same machine.
// Go's default (collect when the heap has doubled) collects often while the
// heap is small; GOGC=400 alone saved about a fifth of the providers' CPU in
// a refresh of 500 resources but cost 20 to 40 MiB of peak memory
// (docs/performance.md, the gogc-100 and gogc-400-no-limit variants). So
// TuneGC sets GOGC=400 with a soft memory limit: the heap grows up to 28 MiB
// of Go memory between collections, and no further. As the live heap grows,
// the limit follows (twice the live heap and 8 MiB, after every collection),
// so a large configuration is collected at least as rarely as with Go's
// default, never back to back. It returns the previous GC percent, or -1
// when it changed nothing.
func TuneGC(getenv func(string) string) int {
	if getenv("GOGC") != "" || getenv("GOMEMLIMIT") != "" {
		return -1
	}
	debug.SetMemoryLimit(memBase)
	prev := debug.SetGCPercent(gcPercent)
	afterEachGC(func() { debug.SetMemoryLimit(memoryLimit(liveHeap())) })
	return prev
}

// memoryLimit is the soft memory limit for a live heap of live bytes.
func memoryLimit(live uint64) int64 {
	if live > (math.MaxInt64-memSlack)/memFloorFactor {
		return math.MaxInt64
	}
	return max(memBase, int64(live)*memFloorFactor+memSlack) //nolint:gosec // bounded above
}

// liveHeap is the live heap after the last collection, in bytes.
func liveHeap() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}

// gcSentinel is garbage as soon as it is made; its finalizer runs after the
// collection that finds it, and makes the next one. It is big enough not to
// share a tiny-allocator block.
type gcSentinel struct{ _ [64]byte }

// afterEachGC calls f (in the finalizer goroutine) after every collection,
// for the life of the process.
func afterEachGC(f func()) {
	runtime.SetFinalizer(&gcSentinel{}, func(*gcSentinel) {
		f()
		afterEachGC(f)
	})
}
