package stack

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// tool is a server or CLI pinned by its own module under tools/.
type tool struct {
	name string // binary name in .cache/<cache>
	dir  string // module folder, relative to the repository root
	pkg  string // main package to build
	tags string

	cache   string // folder of .cache the binary goes to; "" means bin
	noCgo   bool   // build with CGO_ENABLED=0 (the servers need cgo for SQLite)
	ldflags string
}

var (
	droneTool = tool{name: "drone-server", dir: "tools/drone-server", pkg: "github.com/drone/drone/cmd/drone-server", tags: "nolimit"}
	giteaTool = tool{name: "gitea", dir: "tools/gitea", pkg: "code.gitea.io/gitea", tags: "sqlite sqlite_unlock_notify"}
	// tofuTool is OpenTofu, built as its release is (no cgo, version.dev=no
	// so that it reports 1.12.6 rather than 1.12.6-dev).
	tofuTool = tool{name: "tofu", dir: "tools/opentofu", pkg: "github.com/opentofu/opentofu/cmd/tofu",
		cache: "tools", noCgo: true, ldflags: "-s -w -X github.com/opentofu/opentofu/version.dev=no"}
)

// providerVersion is the version stamped into locally built providers.
const providerVersion = "0.0.0-dev"

// MirrorVersion is the version under which the filesystem mirror offers the
// local build: the release the CHANGELOG prepares, so that the examples'
// constraints (version = "~> 0.1") and configurations without one select it.
// Re-run `terraform init -upgrade` after a rebuild: the lock file records the
// previous binary's hash.
const MirrorVersion = "0.1.0"

// providerTypes are the provider families served by the one binary.
var providerTypes = []string{"drone", "galaxias"}

// registryHosts are the registries a source address without a hostname
// means: registry.terraform.io to Terraform, registry.opentofu.org to
// OpenTofu. The CLI configurations and the mirror serve both.
var registryHosts = []string{"registry.terraform.io", "registry.opentofu.org"}

// toolStamp identifies a tool build: its module files and build settings.
func (l *Launcher) toolStamp(t tool) (string, error) {
	h := sha256.New()
	for _, f := range []string{"go.mod", "go.sum"} {
		b, err := os.ReadFile(l.path(t.dir, f))
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s %d\n", f, len(b))
		h.Write(b)
	}
	fmt.Fprintf(h, "pkg %s\ntags %s\n", t.pkg, t.tags)
	if t.noCgo || t.ldflags != "" {
		fmt.Fprintf(h, "cgo %t\nldflags %s\n", !t.noCgo, t.ldflags)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// buildTool builds t into .cache/bin (or .cache/<t.cache>) unless the stamp
// says it is current. It returns the binary's path.
func (l *Launcher) buildTool(ctx context.Context, t tool) (string, error) {
	cache := t.cache
	if cache == "" {
		cache = "bin"
	}
	bin := l.cacheDir(cache, t.name)
	stampFile := bin + ".stamp"
	want, err := l.toolStamp(t)
	if err != nil {
		return "", stepErr("build "+t.name, "", err)
	}
	current := func() bool {
		have, err := os.ReadFile(stampFile)
		if err != nil || string(bytes.TrimSpace(have)) != want {
			return false
		}
		_, err = os.Stat(bin)
		return err == nil
	}
	if current() {
		return bin, nil
	}
	if err := os.MkdirAll(filepath.Dir(bin), 0o755); err != nil {
		return "", err
	}
	// Tests of several packages may ask for the same tool at once: one builds,
	// the others wait and then find it current.
	unlock, err := lockFile(bin + ".lock")
	if err != nil {
		return "", stepErr("build "+t.name, "", err)
	}
	defer unlock()
	if current() {
		return bin, nil
	}
	l.logf("building %s from %s (takes minutes the first time)", t.name, t.dir)
	start := time.Now()
	_ = os.Remove(stampFile)
	logPath := l.cacheDir("logs", "build-"+t.name+".log")
	cgo := "CGO_ENABLED=1"
	args := []string{"build", "-tags", t.tags, "-o", bin}
	if t.noCgo {
		cgo = "CGO_ENABLED=0"
	}
	if t.ldflags != "" {
		args = append(args, "-trimpath", "-ldflags", t.ldflags)
	}
	err = l.run(ctx, l.path(t.dir), logPath, []string{cgo, "GOWORK=off", "GOFLAGS=-mod=readonly -buildvcs=false"},
		"go", append(args, t.pkg)...)
	if err != nil {
		return "", stepErr("build "+t.name, logPath, err)
	}
	if err := os.WriteFile(stampFile, []byte(want+"\n"), 0o644); err != nil {
		return "", err
	}
	l.logf("built %s in %s", t.name, time.Since(start).Round(time.Second))
	return bin, nil
}

// moduleDir returns the module cache folder of module mod required by tool
// t, downloading the module when the cache lacks it.
func (l *Launcher) moduleDir(ctx context.Context, t tool, mod string) (string, error) {
	goCmd := func(args ...string) (string, error) {
		cmd := exec.CommandContext(ctx, "go", args...)
		cmd.Dir = l.path(t.dir)
		cmd.Env = append(os.Environ(), "GOWORK=off")
		out, err := cmd.Output()
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			err = fmt.Errorf("go %s: %w: %s", strings.Join(args, " "), err, bytes.TrimSpace(ee.Stderr))
		}
		return strings.TrimSpace(string(out)), err
	}
	list := []string{"list", "-m", "-f", "{{.Dir}}", mod}
	dir, err := goCmd(list...)
	if err == nil && dir == "" {
		if _, err = goCmd("mod", "download", mod); err == nil {
			dir, err = goCmd(list...)
		}
	}
	if err == nil && dir == "" {
		err = fmt.Errorf("go list -m %s: no module folder", mod)
	}
	return dir, err
}

// run runs a command in dir, appending its output to logPath. On failure the
// error carries the last lines of the output.
func (l *Launcher) run(ctx context.Context, dir, logPath string, env []string, name string, args ...string) error {
	if err := os.MkdirAll(filepath.Dir(logPath), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	fmt.Fprintf(f, "\n$ %s %s\n", name, strings.Join(args, " "))
	var tail tailBuffer
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = append(cleanEnviron(), env...)
	cmd.Stdout = io.MultiWriter(f, &tail)
	cmd.Stderr = cmd.Stdout
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s %s: %w\n%s", name, args[0], err, tail.String())
	}
	return nil
}

// tailBuffer keeps the last few KiB written to it.
type tailBuffer struct{ b []byte }

func (t *tailBuffer) Write(p []byte) (int, error) {
	const keep = 2048
	t.b = append(t.b, p...)
	if len(t.b) > keep {
		t.b = t.b[len(t.b)-keep:]
	}
	return len(p), nil
}

func (t *tailBuffer) String() string { return strings.TrimSpace(string(t.b)) }

// cleanEnviron is the launcher's environment without variables that the
// stack itself exports (a sourced .stack/env must not leak into the servers).
func cleanEnviron() []string {
	var out []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "DRONE_") || strings.HasPrefix(name, "GITEA_") ||
			strings.HasPrefix(name, "GALAXIAS_") || strings.HasPrefix(name, "TF_CLI_CONFIG_FILE") {
			continue
		}
		out = append(out, kv)
	}
	return out
}

// ProviderDir holds the locally built provider binaries.
func (l *Launcher) ProviderDir() string { return l.cacheDir("provider") }

// Build builds the provider into .cache/provider under both executable names.
func (l *Launcher) Build(ctx context.Context) error {
	dir := l.ProviderDir()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	logPath := l.cacheDir("logs", "build-provider.log")
	main := filepath.Join(dir, "terraform-provider-galaxias")
	l.logf("building the provider into %s", dir)
	err := l.run(ctx, l.Root, logPath, nil, "go", "build",
		"-ldflags", "-X main.version="+providerVersion, "-o", main, ".")
	if err != nil {
		return stepErr("build provider", logPath, err)
	}
	return stepErr("build provider", "", linkOrCopy(main, filepath.Join(dir, "terraform-provider-drone")))
}

// linkOrCopy makes dst the same file as src: a hard link, or a copy.
func linkOrCopy(src, dst string) error {
	if err := os.Remove(dst); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	if err := os.Link(src, dst); err == nil {
		return nil
	}
	return copyFile(src, dst)
}

// copyFile copies src to dst as an executable.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o755)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// CLIConfig and MirrorCLIConfig are the CLI config files written by Install,
// for Terraform and OpenTofu alike.
func (l *Launcher) CLIConfig() string       { return l.cacheDir("terraformrc") }
func (l *Launcher) MirrorCLIConfig() string { return l.cacheDir("terraformrc-mirror") }

// Install builds the provider and writes two Terraform CLI configs: one with
// dev_overrides (plan/apply without init) and one with a filesystem mirror
// (for configurations that need terraform init).
func (l *Launcher) Install(ctx context.Context) error {
	if err := l.Build(ctx); err != nil {
		return err
	}
	binary := filepath.Join(l.ProviderDir(), "terraform-provider-galaxias")
	if err := WriteMirror(l.cacheDir("mirror"), binary, l.MirrorCLIConfig(), false); err != nil {
		return stepErr("install", "", err)
	}
	if err := os.WriteFile(l.CLIConfig(), []byte(devOverridesConfig(l.ProviderDir())), 0o644); err != nil {
		return err
	}
	l.logf("provider installed, for terraform and tofu alike; for plan/apply without init:\n    export TF_CLI_CONFIG_FILE=%s\n"+
		"  for configurations that need init (modules, backends; version %s, use init -upgrade after a rebuild):\n"+
		"    export TF_CLI_CONFIG_FILE=%s", l.CLIConfig(), MirrorVersion, l.MirrorCLIConfig())
	return nil
}

// devOverridesConfig overrides both providers on both registries, so that one
// file serves Terraform (galaxias/x means registry.terraform.io/galaxias/x)
// and OpenTofu (registry.opentofu.org/galaxias/x).
func devOverridesConfig(dir string) string {
	var b strings.Builder
	b.WriteString("provider_installation {\n  dev_overrides {\n")
	for _, host := range registryHosts {
		for _, typ := range providerTypes {
			fmt.Fprintf(&b, "    %q = %q\n", host+"/galaxias/"+typ, dir)
		}
	}
	b.WriteString("  }\n  direct {}\n}\n")
	return b.String()
}

// WriteMirror lays out the provider binary under both addresses, on both
// registry hosts, in a filesystem mirror at dir (version MirrorVersion) and
// writes a CLI configuration at cliConfig that installs galaxias/* from it.
// With private, the binaries are (links to) one copy, so that rebuilding the
// original later cannot change what an initialised working directory links
// to; otherwise hard links to the original are used where possible.
func WriteMirror(dir, binary, cliConfig string, private bool) error {
	target := runtime.GOOS + "_" + runtime.GOARCH
	if private {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		own := filepath.Join(dir, filepath.Base(binary))
		if err := copyFile(binary, own); err != nil {
			return err
		}
		binary = own
	}
	for _, host := range registryHosts {
		for _, typ := range providerTypes {
			typeDir := filepath.Join(dir, host, "galaxias", typ)
			if err := os.RemoveAll(typeDir); err != nil {
				return err
			}
			d := filepath.Join(typeDir, MirrorVersion, target)
			if err := os.MkdirAll(d, 0o755); err != nil {
				return err
			}
			dst := filepath.Join(d, "terraform-provider-"+typ+"_v"+MirrorVersion)
			if err := linkOrCopy(binary, dst); err != nil {
				return err
			}
		}
	}
	return os.WriteFile(cliConfig, []byte(mirrorConfig(dir)), 0o644)
}

func mirrorConfig(dir string) string {
	var patterns []string
	for _, host := range registryHosts {
		patterns = append(patterns, fmt.Sprintf("%q", host+"/galaxias/*"))
	}
	list := strings.Join(patterns, ", ")
	return fmt.Sprintf(`provider_installation {
  filesystem_mirror {
    path    = %q
    include = [%s]
  }
  direct {
    exclude = [%s]
  }
}
`, dir, list, list)
}
