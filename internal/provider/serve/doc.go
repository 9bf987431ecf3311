// Package serve holds how a provider process is served, apart from what it
// serves: the tfprotov6 wrapper that bounds the framework's per-RPC memory
// (ContextGuard), and the settings of the short-lived plugin process, its
// logging (QuietLogs) and garbage collector (TuneGC). The binary (main.go,
// through internal/provider), the acceptance tests and the benchmark's null
// provider use it, so that each is served the same way.
package serve
