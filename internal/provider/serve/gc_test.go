package serve

import (
	"math"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

func TestTuneGCLeavesUserSettings(t *testing.T) {
	for _, name := range []string{"GOGC", "GOMEMLIMIT"} {
		limit := debug.SetMemoryLimit(-1)
		got := TuneGC(func(k string) string {
			if k == name {
				return "150"
			}
			return ""
		})
		if got != -1 {
			t.Errorf("with %s set, TuneGC changed the GC percent (returned %d)", name, got)
		}
		if now := debug.SetMemoryLimit(-1); now != limit {
			t.Errorf("with %s set, TuneGC changed the memory limit from %d to %d", name, limit, now)
		}
	}
}

func TestTuneGC(t *testing.T) {
	limit := debug.SetMemoryLimit(-1)
	prev := TuneGC(func(string) string { return "" })
	defer func() {
		debug.SetGCPercent(prev)
		debug.SetMemoryLimit(limit)
	}()
	if got := debug.SetGCPercent(-1); got != gcPercent {
		t.Errorf("GC percent = %d, want %d", got, gcPercent)
	}
	debug.SetGCPercent(gcPercent)
	if got := debug.SetMemoryLimit(-1); got != memBase {
		t.Errorf("memory limit = %d, want %d", got, memBase)
	}

	// After a collection the limit follows the live heap: hold 40 MiB live,
	// collect, and wait for the finalizer to raise the limit above it.
	hold := make([]byte, 40<<20)
	for i := range hold {
		hold[i] = 1
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		runtime.GC()
		if got := debug.SetMemoryLimit(-1); got >= 2*40<<20 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("memory limit %d after collections with 40 MiB live, want at least %d", debug.SetMemoryLimit(-1), 2*40<<20)
		}
		time.Sleep(10 * time.Millisecond)
	}
	runtime.KeepAlive(hold)
}

func TestMemoryLimit(t *testing.T) {
	for live, want := range map[uint64]int64{
		0:              memBase,
		8 << 20:        memBase,           // 2 × 8 + 8 = 24 MiB, under 28 MiB
		10 << 20:       memBase,           // 28 MiB
		12 << 20:       32 << 20,          // 2 × 12 + 8
		1 << 30:        (2 << 30) + 8<<20, // a big configuration: never at the live heap
		math.MaxUint64: math.MaxInt64,
	} {
		if got := memoryLimit(live); got != want {
			t.Errorf("memoryLimit(%d) = %d, want %d", live, got, want)
		}
	}
}
