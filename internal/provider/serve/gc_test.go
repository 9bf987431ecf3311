package serve

import (
	"runtime/debug"
	"testing"
)

func TestTuneGC(t *testing.T) {
	if got := TuneGC(func(string) string { return "150" }); got != -1 {
		t.Errorf("with GOGC set, TuneGC changed the setting (returned %d)", got)
	}
	prev := TuneGC(func(string) string { return "" })
	defer debug.SetGCPercent(prev)
	if got := debug.SetGCPercent(prev); got != gcPercent {
		t.Errorf("with GOGC unset, GC percent = %d, want %d", got, gcPercent)
	}
}
