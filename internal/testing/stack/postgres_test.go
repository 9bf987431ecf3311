package stack

import (
	"context"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestPGConnStr(t *testing.T) {
	if got, want := pgConnStr(15432), "postgres://tf@127.0.0.1:15432/postgres?sslmode=disable"; got != want {
		t.Errorf("PGConnStr = %q, want %q", got, want)
	}
}

func TestAsPostgres(t *testing.T) {
	name, args := asPostgres("/usr/bin/pg_ctl", "-D", "x", "start")
	if os.Geteuid() == 0 {
		if name != "runuser" || strings.Join(args, " ") != "-u postgres -- /usr/bin/pg_ctl -D x start" {
			t.Errorf("as root: %s %v", name, args)
		}
	} else if name != "/usr/bin/pg_ctl" || strings.Join(args, " ") != "-D x start" {
		t.Errorf("as a user: %s %v", name, args)
	}
}

// TestPostgres starts a PostgreSQL of its own (in a temporary root, so that
// the server of .stack/postgres, which others may use, is left alone), checks
// that it listens on loopback, that a second call reuses it, and stops it.
func TestPostgres(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	if _, err := pgBin("initdb"); err != nil {
		t.Skip(err)
	}
	l := &Launcher{Root: pgRoot(t), Out: io.Discard}
	ctx := context.Background()
	pg, err := l.Postgres(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := l.StopPostgres(); err != nil {
			t.Errorf("stop: %v", err)
		}
	})
	if !pg.Started {
		t.Error("a fresh root must start a server")
	}
	c, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(pg.Port), 2*time.Second)
	if err != nil {
		t.Fatalf("nothing listens on %d: %v", pg.Port, err)
	}
	c.Close()
	again, err := l.Postgres(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if again.Port != pg.Port || again.ConnStr != pgConnStr(pg.Port) || again.Started {
		t.Errorf("second call: %+v, first %+v", again, pg)
	}
	b, err := os.ReadFile(l.pgDir("conn_str"))
	if err != nil || strings.TrimSpace(string(b)) != pg.ConnStr {
		t.Errorf("conn_str file: %q %v", b, err)
	}
}

// pgRoot is a temporary checkout root that the postgres user can reach.
func pgRoot(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	for d := root; d != "/" && d != os.TempDir(); d = filepath.Dir(d) {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// A checkout copied with cp -a while its PostgreSQL runs carries that
// server's port and pid files: the copy starts a server of its own instead
// of reusing the original's, and stopping it leaves the original's running.
func TestPostgresInACopiedCheckout(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	if _, err := pgBin("initdb"); err != nil {
		t.Skip(err)
	}
	orig := &Launcher{Root: filepath.Join(pgRoot(t), "orig"), Out: io.Discard}
	ctx := context.Background()
	pg, err := orig.Postgres(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = orig.StopPostgres() })
	cp := &Launcher{Root: filepath.Join(filepath.Dir(orig.Root), "copy"), Out: io.Discard}
	if out, err := exec.Command("cp", "-a", orig.Root, cp.Root).CombinedOutput(); err != nil {
		t.Fatalf("cp -a: %v\n%s", err, out)
	}
	pg2, err := cp.Postgres(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cp.StopPostgres() })
	if !pg2.Started || pg2.Port == pg.Port {
		t.Fatalf("the copy reused the original's PostgreSQL: %+v (original %+v)", pg2, pg)
	}
	if err := cp.StopPostgres(); err != nil {
		t.Fatal(err)
	}
	c, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(pg.Port), 2*time.Second)
	if err != nil {
		t.Fatalf("stopping the copy's PostgreSQL stopped the original's: %v", err)
	}
	c.Close()
}
