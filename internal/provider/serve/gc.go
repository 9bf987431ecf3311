package serve

import "runtime/debug"

// gcPercent is the garbage collector's target that TuneGC sets.
const gcPercent = 400

// TuneGC lets the provider's heap grow to gcPercent % over the live heap
// before a collection, instead of Go's 100 %, unless GOGC is set. A
// provider lives for one Terraform command, its live heap is small (a few
// MiB with ContextGuard), and every collection takes CPU from Terraform core
// on the same machine: in a refresh of 500 resources this took the
// providers' CPU down by about a fifth for some 20 MiB more peak memory
// (docs/performance.md). It returns the previous setting, or -1 when it changed nothing.
func TuneGC(getenv func(string) string) int {
	if getenv("GOGC") != "" {
		return -1
	}
	return debug.SetGCPercent(gcPercent)
}
