package bench

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// startCopy starts the sleep program under another name, as a child of the
// test, and stops it at the end of the test.
func startCopy(t *testing.T, name string) int {
	t.Helper()
	src, err := exec.LookPath("sleep")
	if err != nil {
		t.Skip("no sleep program")
	}
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(bin, b, 0o700); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "60")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	return cmd.Process.Pid
}

func TestProviderProcesses(t *testing.T) {
	provider := startCopy(t, "terraform-provider-benchtest")
	other := startCopy(t, "not-a-provider")
	kids := children(os.Getpid())
	if !slices.Contains(kids, provider) || !slices.Contains(kids, other) {
		t.Fatalf("children of the test = %v, want %d and %d among them", kids, provider, other)
	}
	if name, kib := providerHWM(provider); name != "terraform-provider-benchtest" || kib <= 0 {
		t.Errorf("providerHWM(provider) = %q, %d KiB", name, kib)
	}
	if name, kib := providerHWM(other); name != "" || kib != 0 {
		t.Errorf("providerHWM(not a provider) = %q, %d KiB, want nothing", name, kib)
	}
}

// procCPU reads what getrusage reports for the same process, in the same
// unit, to the kernel's clock tick.
func TestProcCPU(t *testing.T) {
	for x := 0; selfCPU() < 50*time.Millisecond; x++ {
		_ = x * x
	}
	before := selfCPU()
	got, err := procCPU(os.Getpid())
	after := selfCPU()
	if err != nil {
		t.Fatal(err)
	}
	const tick = 20 * time.Millisecond
	if got < before-tick || got > after+tick {
		t.Errorf("procCPU = %v, getrusage %v..%v", got, before, after)
	}
	if _, err := procCPU(1 << 30); err == nil {
		t.Error("procCPU of a pid that does not exist: no error")
	}
}
