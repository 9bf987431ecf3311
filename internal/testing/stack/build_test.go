package stack

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestFindRoot(t *testing.T) {
	root := t.TempDir()
	sub := filepath.Join(root, "a", "b")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(root, "go.mod"), "module "+module+"\n\ngo 1.26\n")
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

// TestCLIConfigs: one file serves Terraform and OpenTofu, which resolve
// galaxias/x to different registry hosts.
func TestCLIConfigs(t *testing.T) {
	dev := devOverridesConfig("/p")
	for _, want := range []string{
		`"registry.terraform.io/galaxias/drone" = "/p"`,
		`"registry.terraform.io/galaxias/galaxias" = "/p"`,
		`"registry.opentofu.org/galaxias/drone" = "/p"`,
		`"registry.opentofu.org/galaxias/galaxias" = "/p"`,
		"direct {}",
	} {
		if !strings.Contains(dev, want) {
			t.Errorf("dev_overrides config lacks %s:\n%s", want, dev)
		}
	}
	m := mirrorConfig("/m")
	both := `["registry.terraform.io/galaxias/*", "registry.opentofu.org/galaxias/*"]`
	for _, want := range []string{`path    = "/m"`, `include = ` + both, `exclude = ` + both} {
		if !strings.Contains(m, want) {
			t.Errorf("mirror config lacks %s:\n%s", want, m)
		}
	}
}

// TestWriteMirror: the binary is offered under both names on both hosts; the
// shared mirror links to the original, a private one does not follow it.
func TestWriteMirror(t *testing.T) {
	for _, private := range []bool{false, true} {
		dir := t.TempDir()
		bin := filepath.Join(t.TempDir(), "terraform-provider-galaxias")
		writeFile(t, bin, "v1")
		cfg := filepath.Join(dir, "terraformrc")
		if err := WriteMirror(dir, bin, cfg, private); err != nil {
			t.Fatal(err)
		}
		writeFile(t, bin, "v2") // in place: hard links see it
		want := "v2"
		if private {
			want = "v1"
		}
		for _, host := range []string{"registry.terraform.io", "registry.opentofu.org"} {
			for _, typ := range []string{"drone", "galaxias"} {
				p := filepath.Join(dir, host, "galaxias", typ, MirrorVersion, runtime.GOOS+"_"+runtime.GOARCH,
					"terraform-provider-"+typ+"_v"+MirrorVersion)
				b, err := os.ReadFile(p)
				if err != nil {
					t.Fatalf("private=%t: %v", private, err)
				}
				if string(b) != want {
					t.Errorf("private=%t: %s = %q, want %q", private, p, b, want)
				}
			}
		}
		if b, err := os.ReadFile(cfg); err != nil || !strings.Contains(string(b), "registry.opentofu.org/galaxias/*") {
			t.Errorf("CLI config %s: %v\n%s", cfg, err, b)
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
