package stack

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
)

func TestSetDroneUser(t *testing.T) {
	path := filepath.Join(t.TempDir(), "drone.sqlite")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{
		`CREATE TABLE users (user_id INTEGER PRIMARY KEY, user_login TEXT UNIQUE, user_oauth_token TEXT,
			user_oauth_expiry INTEGER, user_hash TEXT)`,
		`INSERT INTO users (user_login, user_oauth_token, user_oauth_expiry, user_hash) VALUES ('a', '', 5, 'h1')`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	check := func(tok, hash string) {
		t.Helper()
		var gotTok, gotHash string
		var exp int
		err := db.QueryRow(`SELECT user_oauth_token, user_oauth_expiry, user_hash FROM users WHERE user_login='a'`).Scan(&gotTok, &exp, &gotHash)
		if err != nil || gotTok != tok || exp != 0 || gotHash != hash {
			t.Fatalf("row = %q %d %q, %v; want %q 0 %q", gotTok, exp, gotHash, err, tok, hash)
		}
	}
	if err := setDroneUser(ctx, path, "a", "gt", ""); err != nil {
		t.Fatal(err)
	}
	check("gt", "h1")
	if err := setDroneUser(ctx, path, "a", "gt2", "h2"); err != nil {
		t.Fatal(err)
	}
	check("gt2", "h2")
	if err := setDroneUser(ctx, path, "nobody", "x", ""); err == nil {
		t.Fatal("no error for a missing user")
	}
}
