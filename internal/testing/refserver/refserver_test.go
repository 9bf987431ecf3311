package refserver

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestParseFault(t *testing.T) {
	f, err := ParseFault("route=POST /v1/deployments,kind=drop-after,rate=0.25,limit=2,latency=150ms,retry_after=3")
	if err != nil {
		t.Fatal(err)
	}
	want := Fault{Route: "POST /v1/deployments", Kind: FaultDropAfter, Rate: 0.25, Limit: 2, Latency: 150 * time.Millisecond, RetryAfter: 3}
	if f != want {
		t.Fatalf("got %+v", f)
	}
	if g, err := ParseFault(f.String()); err != nil || g != f {
		t.Fatalf("round trip: %+v %v", g, err)
	}
	for _, bad := range []string{"kind=teapot", "rate=2", "latency=soon", "nokey", "color=red"} {
		if _, err := ParseFault(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestFaultPick(t *testing.T) {
	fs := &faultState{Fault: Fault{Rate: 1.0 / 3, Limit: 2}}
	var got []bool
	for range 9 {
		got = append(got, fs.pick())
	}
	want := []bool{false, false, true, false, false, true, false, false, false}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("pick: got %v want %v", got, want)
		}
	}
}

func TestSecretAndSchemaPersist(t *testing.T) {
	dir := t.TempDir()
	s1, err := New(Options{DataDir: dir, AdminName: "admin", AdminPassword: "pw"})
	if err != nil {
		t.Fatal(err)
	}
	_ = s1.Close()
	st, err := os.Stat(filepath.Join(dir, "jwt-secret"))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("secret file: %v %v", st, err)
	}
	s2, err := New(Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = s2.Close() }()
	if string(s1.secret) != string(s2.secret) {
		t.Fatal("the JWT secret changed across restarts")
	}
	var v int
	if err := s2.db.QueryRow(`SELECT MAX(version) FROM schema_migrations`).Scan(&v); err != nil || v != len(migrations) {
		t.Fatalf("schema version %d, %v", v, err)
	}
	if _, err := New(Options{}); err == nil {
		t.Fatal("DataDir is required")
	}
}
