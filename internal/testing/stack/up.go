package stack

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"
)

// stopGrace is how long servers get between SIGTERM and SIGKILL.
const stopGrace = 10 * time.Second

// Up starts the stack, or reuses the one already running, and writes
// .stack/env and .stack/stack.json.
func (l *Launcher) Up(ctx context.Context) (_ *Env, err error) {
	if err := os.MkdirAll(l.stackDir("logs"), 0o755); err != nil {
		return nil, err
	}
	running, err := l.ownProcs()
	if err != nil {
		return nil, err
	}
	if len(running) > 0 {
		if env := l.reusable(ctx, running); env != nil {
			l.logf("reusing the running stack in %s", l.StackDir())
			if err := l.installIfPresent(ctx); err != nil {
				return nil, err
			}
			return env, l.finish(env)
		}
		l.logf("stopping the remains of an earlier stack")
		stopProcs(running, stopGrace)
	}
	_ = os.Remove(l.stackDir(pidsFile))
	_ = os.Remove(l.stackDir(envFile))
	_ = os.Remove(l.stackDir(jsonFile))

	st, err := l.loadState()
	if err != nil {
		return nil, err
	}
	droneBin, err := l.buildTool(ctx, droneTool)
	if err != nil {
		return nil, err
	}
	giteaBin, err := l.buildTool(ctx, giteaTool)
	if err != nil {
		return nil, err
	}
	if err := l.installIfPresent(ctx); err != nil {
		return nil, err
	}
	if err := st.pickPorts(); err != nil {
		return nil, err
	}
	if err := l.saveState(st); err != nil {
		return nil, err
	}

	var started []*proc
	defer func() {
		if err != nil && len(started) > 0 {
			l.logf("stopping what this run started")
			stopProcs(started, stopGrace)
			_ = os.Remove(l.stackDir(pidsFile))
		}
	}()
	add := func(p *proc, err error) error {
		if p != nil {
			started = append(started, p)
		}
		return err
	}
	env := new(Env)
	l.logf("starting gitea on 127.0.0.1:%d", st.GiteaPort)
	if err := add(l.gitea(ctx, giteaBin, st, env)); err != nil {
		return nil, err
	}
	l.logf("starting drone on 127.0.0.1:%d", st.DronePort)
	if err := add(l.drone(ctx, droneBin, st, env)); err != nil {
		return nil, err
	}
	if l.hasGalaxias() {
		if err := l.galaxiasServers(ctx, st, env, add); err != nil {
			return nil, err
		}
	} else {
		l.logf("skipping the galaxias reference server: %s/main.go does not exist yet", galaxiasMain)
	}
	if err := l.finish(env); err != nil {
		return nil, err
	}
	return env, nil
}

// finish fills the local paths into env and writes the env files.
func (l *Launcher) finish(env *Env) error {
	env.TFCLIConfigFile = l.CLIConfig()
	env.TFCLIConfigFileMirror = l.MirrorCLIConfig()
	env.StackDir = l.StackDir()
	if err := env.write(l.StackDir()); err != nil {
		return err
	}
	l.logf("ready: source %s  (Go: stack.Load(%q))", l.stackDir(envFile), l.StackDir())
	return nil
}

func (l *Launcher) installIfPresent(ctx context.Context) error {
	if _, err := os.Stat(l.path("main.go")); errors.Is(err, fs.ErrNotExist) {
		l.logf("skipping the provider build: %s does not exist yet", l.path("main.go"))
		return nil
	}
	return l.Install(ctx)
}

// reusable returns the saved env when every recorded server is alive and
// answers, and the set of servers is the one Up would start now.
func (l *Launcher) reusable(ctx context.Context, procs []*proc) *Env {
	env, err := Load(l.StackDir())
	if err != nil {
		return nil
	}
	want := map[string]bool{"gitea": true, "drone": true}
	if l.hasGalaxias() {
		for _, name := range galaxiasProcs {
			want[name] = true
		}
	}
	for _, p := range procs {
		if !want[p.Name] || !groupAlive(p) {
			return nil
		}
		delete(want, p.Name)
	}
	for _, w := range want {
		if w {
			return nil
		}
	}
	checks := []request{
		{method: "GET", url: env.GiteaURL + "/api/v1/version"},
		{method: "GET", url: env.DroneServer + "/api/user", header: bearer(env.DroneToken)},
	}
	for _, u := range []string{env.GalaxiasEndpoint, env.GalaxiasRockEndpoint, env.GalaxiasChartRepo} {
		if u != "" {
			checks = append(checks, request{method: "GET", url: u + "/health"})
		}
	}
	for _, r := range checks {
		if waitFor(ctx, nil, 5*time.Second, r, 200) != nil {
			return nil
		}
	}
	if env.KubeAPIServer != "" {
		ca, err := os.ReadFile(l.stackDir("kube", "ca.crt"))
		if err != nil || waitKube(ctx, nil, 5*time.Second, env.KubeAPIServer, env.KubeToken, ca) != nil {
			return nil
		}
	}
	return env
}

// pickPorts keeps the saved ports where they are still free.
func (st *state) pickPorts() error {
	taken := map[int]bool{}
	for _, p := range []*int{&st.GiteaPort, &st.DronePort, &st.GalaxiasPort, &st.GalaxiasRockPort, &st.ChartRepoPort, &st.KubePort, &st.EtcdPort, &st.EtcdPeerPort} {
		want := *p
		if taken[want] {
			want = 0
		}
		for i := 0; ; i++ {
			port, err := freePort(want)
			if err != nil {
				return err
			}
			if !taken[port] {
				*p = port
				break
			}
			if i > 20 {
				return errors.New("no free loopback port")
			}
			want = 0
		}
		taken[*p] = true
	}
	return nil
}

// Down stops exactly the servers Up started in this checkout (never those a
// copied pids file names, see owner.go). With purge it also removes .stack/
// (data, logs, saved secrets).
func (l *Launcher) Down(purge bool) error {
	procs, err := l.ownProcs()
	if err != nil {
		return err
	}
	for _, p := range procs {
		if groupAlive(p) {
			l.logf("stopping %s (process group %d)", p.Name, p.Pid)
		}
	}
	stopProcs(procs, stopGrace)
	for _, p := range procs {
		if groupAlive(p) {
			return fmt.Errorf("%s (process group %d) is still running", p.Name, p.Pid)
		}
	}
	waitReaped(procs, 5*time.Second)
	if err := l.StopPostgres(); err != nil {
		return fmt.Errorf("stopping PostgreSQL: %w", err)
	}
	for _, f := range []string{pidsFile, envFile, jsonFile} {
		if err := os.Remove(l.stackDir(f)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	if purge {
		l.logf("removing %s", l.StackDir())
		return os.RemoveAll(l.StackDir())
	}
	return nil
}

// EnvText returns the contents of .stack/env.
func (l *Launcher) EnvText() (string, error) {
	b, err := os.ReadFile(l.stackDir(envFile))
	if errors.Is(err, os.ErrNotExist) {
		return "", errors.New("the stack is not running: go run ./cmd/stack up")
	}
	return string(b), err
}
