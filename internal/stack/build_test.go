package stack

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFindRoot(t *testing.T) {
	root := t.TempDir()
	sub := filepath.Join(root, "a", "b")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(root, "go.mod"), "module "+Module+"\n\ngo 1.26\n")
	writeFile(t, filepath.Join(root, "a", "go.mod"), "module example.com/other\n")
	got, err := FindRoot(sub)
	if err != nil || got != root {
		t.Fatalf("FindRoot = %q, %v; want %q", got, err, root)
	}
}

func TestToolStamp(t *testing.T) {
	l := &Launcher{Root: t.TempDir()}
	tl := tool{name: "x", dir: "tools/x", pkg: "example.com/x", tags: "a"}
	writeFile(t, l.path("tools/x/go.mod"), "module m\n")
	writeFile(t, l.path("tools/x/go.sum"), "one\n")
	s1, err := l.toolStamp(tl)
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := l.toolStamp(tl); s != s1 {
		t.Fatal("stamp is not stable")
	}
	writeFile(t, l.path("tools/x/go.sum"), "two\n")
	s2, _ := l.toolStamp(tl)
	tl.tags = "b"
	s3, _ := l.toolStamp(tl)
	if s2 == s1 || s3 == s2 {
		t.Fatalf("stamp does not follow go.sum or tags: %s %s %s", s1, s2, s3)
	}
}

func TestCLIConfigs(t *testing.T) {
	dev := devOverridesConfig("/p")
	for _, want := range []string{
		`"registry.terraform.io/galaxias/drone" = "/p"`,
		`"registry.terraform.io/galaxias/galaxias" = "/p"`,
		"direct {}",
	} {
		if !strings.Contains(dev, want) {
			t.Errorf("dev_overrides config lacks %s:\n%s", want, dev)
		}
	}
	m := mirrorConfig("/m")
	for _, want := range []string{`path    = "/m"`, `include = ["registry.terraform.io/galaxias/*"]`, `exclude = ["registry.terraform.io/galaxias/*"]`} {
		if !strings.Contains(m, want) {
			t.Errorf("mirror config lacks %s:\n%s", want, m)
		}
	}
}

func TestLinkOrCopy(t *testing.T) {
	dir := t.TempDir()
	src, dst := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	writeFile(t, src, "new")
	writeFile(t, dst, "old")
	if err := linkOrCopy(src, dst); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(dst); string(b) != "new" {
		t.Fatalf("dst = %q", b)
	}
}

func TestLoadStateFillsSecrets(t *testing.T) {
	l := &Launcher{Root: t.TempDir()}
	if err := os.MkdirAll(l.StackDir(), 0o755); err != nil {
		t.Fatal(err)
	}
	st, err := l.loadState()
	if err != nil {
		t.Fatal(err)
	}
	if len(st.DroneAdminToken) != 32 || len(st.DroneDBSecret) != 32 || st.GiteaAdminPassword == "" {
		t.Fatalf("secrets not generated: %+v", st)
	}
	if err := st.pickPorts(); err != nil {
		t.Fatal(err)
	}
	if st.GiteaPort == st.DronePort || st.DronePort == st.GalaxiasPort || st.GiteaPort == st.GalaxiasPort {
		t.Fatalf("ports not distinct: %+v", st)
	}
	if err := l.saveState(st); err != nil {
		t.Fatal(err)
	}
	again, err := l.loadState()
	if err != nil {
		t.Fatal(err)
	}
	if *again != *st {
		t.Fatalf("state not kept:\n%+v\n%+v", again, st)
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
