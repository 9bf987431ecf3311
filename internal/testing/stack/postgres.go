package stack

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// pgUser is the PostgreSQL role the launcher creates (trust authentication,
// loopback only): Terraform's pg backend connects as it.
const pgUser = "tf"

// PG is a running PostgreSQL server started by the launcher.
type PG struct {
	Dir     string // .stack/postgres
	Port    int
	ConnStr string // postgres://tf@127.0.0.1:PORT/postgres?sslmode=disable
	Started bool   // this call started it (false: it was running already)
}

func (l *Launcher) pgDir(elem ...string) string {
	return l.stackDir(append([]string{"postgres"}, elem...)...)
}

// pgBin finds a PostgreSQL program on PATH or in Debian's versioned folders.
func pgBin(name string) (string, error) {
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/" + name)
	if len(matches) > 0 {
		sort.Strings(matches)
		return matches[len(matches)-1], nil
	}
	return "", fmt.Errorf("%s not found: install PostgreSQL (Debian: apt-get install postgresql)", name)
}

// pgBins returns initdb and pg_ctl, installing Debian's postgresql package
// when they are missing and this is root on a Debian-like system.
func (l *Launcher) pgBins(ctx context.Context) (initdb, pgctl string, err error) {
	initdb, err = pgBin("initdb")
	if err != nil && os.Geteuid() == 0 {
		if _, aerr := exec.LookPath("apt-get"); aerr == nil {
			logPath := l.stackDir("logs", "postgres-install.log")
			l.logf("installing Debian's postgresql package (log: %s)", logPath)
			env := []string{"DEBIAN_FRONTEND=noninteractive"}
			if rerr := l.run(ctx, l.Root, logPath, env, "apt-get", "update"); rerr != nil {
				return "", "", stepErr("apt-get update", logPath, rerr)
			}
			if rerr := l.run(ctx, l.Root, logPath, env, "apt-get", "install", "-y", "--no-install-recommends", "postgresql"); rerr != nil {
				return "", "", stepErr("apt-get install postgresql", logPath, rerr)
			}
			initdb, err = pgBin("initdb")
		}
	}
	if err != nil {
		return "", "", err
	}
	pgctl, err = pgBin("pg_ctl")
	return initdb, pgctl, err
}

// asPostgres wraps a command so that it runs as the postgres user when the
// launcher is root (PostgreSQL refuses to run as root).
func asPostgres(name string, args ...string) (string, []string) {
	if os.Geteuid() != 0 {
		return name, args
	}
	return "runuser", append([]string{"-u", "postgres", "--", name}, args...)
}

// chownPostgres gives dir to the postgres user when the launcher is root.
func chownPostgres(dir string) error {
	if os.Geteuid() != 0 {
		return nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return fmt.Errorf("PostgreSQL refuses to run as root and there is no postgres user: %w", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return filepath.Walk(dir, func(p string, _ os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, uid, gid)
	})
}

// pgConnStr is the pg backend's connection string for a port.
func pgConnStr(port int) string {
	return fmt.Sprintf("postgres://%s@127.0.0.1:%d/postgres?sslmode=disable", pgUser, port)
}

// Postgres starts PostgreSQL on loopback with its data in .stack/postgres,
// or reuses the one already running there, and writes the connection string
// to .stack/postgres/conn_str.
func (l *Launcher) Postgres(ctx context.Context) (*PG, error) {
	initdb, pgctl, err := l.pgBins(ctx)
	if err != nil {
		return nil, stepErr("find postgres", "", err)
	}
	dir, data, logPath := l.pgDir(), l.pgDir("data"), l.pgDir("postgres.log")
	// The postgres user must be able to reach its folder.
	if err := os.MkdirAll(l.stackDir("logs"), 0o755); err != nil {
		return nil, err
	}
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, os.ErrExist) {
		return nil, err
	}
	if err := chownPostgres(dir); err != nil {
		return nil, stepErr("prepare postgres", "", err)
	}
	if _, err := os.Stat(filepath.Join(data, "PG_VERSION")); err != nil {
		l.logf("initialising PostgreSQL in %s", data)
		name, args := asPostgres(initdb, "-D", data, "-A", "trust", "-U", pgUser, "-E", "UTF8")
		if err := l.run(ctx, dir, l.stackDir("logs", "postgres-initdb.log"), nil, name, args...); err != nil {
			return nil, stepErr("initdb", l.stackDir("logs", "postgres-initdb.log"), err)
		}
	}
	portFile := l.pgDir("port")
	port := 0
	if b, err := os.ReadFile(portFile); err == nil {
		port, _ = strconv.Atoi(strings.TrimSpace(string(b)))
	}
	pg := &PG{Dir: dir}
	// Reuse only this checkout's server: a copied port file and pid file name
	// another checkout's.
	l.dropForeignPostmasterPid(data)
	if port > 0 && fileExists(filepath.Join(data, "postmaster.pid")) && l.pgReady(ctx, port) {
		pg.Port, pg.ConnStr = port, pgConnStr(port)
		l.logf("reusing PostgreSQL on 127.0.0.1:%d", port)
		return pg, l.writePG(pg)
	}
	if port == 0 {
		port = 15432
	}
	if port, err = freePort(port); err != nil {
		return nil, err
	}
	// A stale postmaster.pid from a killed server would block the start.
	name, args := asPostgres(pgctl, "-D", data, "status")
	if exec.CommandContext(ctx, name, args...).Run() != nil {
		_ = os.Remove(filepath.Join(data, "postmaster.pid"))
	} else {
		name, args = asPostgres(pgctl, "-D", data, "-m", "fast", "-w", "stop")
		_ = exec.CommandContext(ctx, name, args...).Run()
	}
	l.logf("starting PostgreSQL on 127.0.0.1:%d", port)
	name, args = asPostgres(pgctl, "-D", data, "-l", logPath, "-w", "-t", "60",
		"-o", fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1", port, dir), "start")
	if err := l.run(ctx, dir, l.stackDir("logs", "postgres-ctl.log"), nil, name, args...); err != nil {
		return nil, stepErr("start postgres", logPath, err)
	}
	if !l.pgReady(ctx, port) {
		return nil, stepErr("wait for postgres", logPath, errors.New("not accepting connections"))
	}
	if err := os.WriteFile(portFile, []byte(strconv.Itoa(port)+"\n"), 0o644); err != nil {
		return nil, err
	}
	pg.Port, pg.ConnStr, pg.Started = port, pgConnStr(port), true
	return pg, l.writePG(pg)
}

func (l *Launcher) writePG(pg *PG) error {
	return writeFileAtomic(l.pgDir("conn_str"), []byte(pg.ConnStr+"\n"), 0o644)
}

// pgReady asks pg_isready (when installed) or tries a TCP connection.
func (l *Launcher) pgReady(ctx context.Context, port int) bool {
	deadline := time.Now().Add(20 * time.Second)
	isready, ierr := pgBin("pg_isready")
	for {
		var ok bool
		if ierr == nil {
			ok = exec.CommandContext(ctx, isready, "-q", "-h", "127.0.0.1", "-p", strconv.Itoa(port), "-U", pgUser).Run() == nil
		} else if c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), time.Second); err == nil {
			ok = true
			c.Close()
		}
		if ok {
			return true
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return false
		}
		time.Sleep(300 * time.Millisecond)
	}
}

// StopPostgres stops the server Postgres started (no error if none runs).
func (l *Launcher) StopPostgres() error {
	data := l.pgDir("data")
	l.dropForeignPostmasterPid(data)
	if !fileExists(filepath.Join(data, "postmaster.pid")) {
		return nil // not running
	}
	_, pgctl, err := l.pgBins(context.Background())
	if err != nil {
		return err
	}
	l.logf("stopping PostgreSQL (%s)", data)
	name, args := asPostgres(pgctl, "-D", data, "-m", "fast", "-w", "stop")
	return l.run(context.Background(), l.pgDir(), l.stackDir("logs", "postgres-ctl.log"), nil, name, args...)
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// dropForeignPostmasterPid removes a postmaster.pid that names a process
// running elsewhere (see foreignPostmaster), so that pg_ctl never signals
// another checkout's server.
func (l *Launcher) dropForeignPostmasterPid(data string) {
	if why := foreignPostmaster(data); why != "" {
		l.logf("not stopping PostgreSQL in %s: %s; removing that pid file", data, why)
		_ = os.Remove(filepath.Join(data, "postmaster.pid"))
	}
}
