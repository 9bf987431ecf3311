package refserver

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"modernc.org/sqlite"
)

// timeLayout is RFC 3339 with an explicit numeric offset, as the platform
// writes it (2019-05-23T18:55:38+08:00). The server stores times in UTC, so
// stored strings also sort in time order.
const timeLayout = "2006-01-02T15:04:05-07:00"

func now() string { return time.Now().UTC().Format(timeLayout) }

// migrations are applied in order, each once; their index+1 is the schema
// version recorded in schema_migrations. Append, never edit.
var migrations = []string{
	`CREATE TABLE users (
		id INTEGER PRIMARY KEY AUTOINCREMENT,
		name TEXT NOT NULL UNIQUE,
		email TEXT NOT NULL DEFAULT '',
		role TEXT NOT NULL,
		password_hash TEXT NOT NULL,
		token TEXT NOT NULL DEFAULT '',
		created_at TEXT NOT NULL, updated_at TEXT NOT NULL, version INTEGER NOT NULL DEFAULT 1);
	CREATE TABLE projects (
		id INTEGER PRIMARY KEY AUTOINCREMENT,
		name TEXT NOT NULL UNIQUE,
		description TEXT NOT NULL DEFAULT '',
		created_at TEXT NOT NULL, updated_at TEXT NOT NULL, version INTEGER NOT NULL DEFAULT 1);
	CREATE TABLE clusters (
		id INTEGER PRIMARY KEY AUTOINCREMENT,
		name TEXT NOT NULL UNIQUE,
		description TEXT NOT NULL DEFAULT '',
		config TEXT NOT NULL DEFAULT '',
		created_at TEXT NOT NULL, updated_at TEXT NOT NULL, version INTEGER NOT NULL DEFAULT 1);
	CREATE TABLE envs (
		id INTEGER PRIMARY KEY AUTOINCREMENT,
		cluster_id INTEGER NOT NULL,
		namespace TEXT NOT NULL,
		description TEXT NOT NULL DEFAULT '',
		created_at TEXT NOT NULL, updated_at TEXT NOT NULL, version INTEGER NOT NULL DEFAULT 1,
		UNIQUE (cluster_id, namespace));
	CREATE TABLE project_envs (
		id INTEGER PRIMARY KEY AUTOINCREMENT,
		project_id INTEGER NOT NULL,
		env_id INTEGER NOT NULL,
		name TEXT NOT NULL DEFAULT '',
		description TEXT NOT NULL DEFAULT '',
		created_at TEXT NOT NULL, updated_at TEXT NOT NULL, version INTEGER NOT NULL DEFAULT 1,
		UNIQUE (project_id, env_id));
	CREATE TABLE apps (
		id INTEGER PRIMARY KEY AUTOINCREMENT,
		project_id INTEGER NOT NULL,
		name TEXT NOT NULL,
		full_name TEXT NOT NULL DEFAULT '',
		owner TEXT NOT NULL DEFAULT '',
		description TEXT NOT NULL DEFAULT '',
		gitlab_address TEXT NOT NULL DEFAULT '',
		gitlab_project_id INTEGER NOT NULL DEFAULT 0,
		drone_repo_id INTEGER NOT NULL DEFAULT 0,
		created_at TEXT NOT NULL, updated_at TEXT NOT NULL, version INTEGER NOT NULL DEFAULT 1,
		UNIQUE (project_id, name));
	CREATE TABLE app_configs (
		id INTEGER PRIMARY KEY AUTOINCREMENT,
		app_id INTEGER NOT NULL,
		project_env_id INTEGER NOT NULL,
		config TEXT NOT NULL DEFAULT '',
		created_at TEXT NOT NULL, updated_at TEXT NOT NULL, version INTEGER NOT NULL DEFAULT 1,
		UNIQUE (app_id, project_env_id));
	CREATE TABLE charts (
		id INTEGER PRIMARY KEY AUTOINCREMENT,
		name TEXT NOT NULL,
		chart_version TEXT NOT NULL,
		app_version TEXT NOT NULL DEFAULT '',
		description TEXT NOT NULL DEFAULT '',
		digest TEXT NOT NULL,
		size INTEGER NOT NULL,
		archive BLOB NOT NULL,
		created_at TEXT NOT NULL, updated_at TEXT NOT NULL, version INTEGER NOT NULL DEFAULT 1,
		UNIQUE (name, chart_version));
	CREATE TABLE deployments (
		id INTEGER PRIMARY KEY AUTOINCREMENT,
		name TEXT NOT NULL,
		description TEXT NOT NULL DEFAULT '',
		chart_name TEXT NOT NULL,
		chart_version TEXT NOT NULL,
		app_id INTEGER NOT NULL,
		env_id INTEGER NOT NULL,
		project_env_id INTEGER NOT NULL,
		status TEXT NOT NULL,
		message TEXT NOT NULL DEFAULT '',
		created_at TEXT NOT NULL, updated_at TEXT NOT NULL, version INTEGER NOT NULL DEFAULT 1);
	CREATE INDEX deployments_app_pe ON deployments (app_id, project_env_id);
	CREATE TABLE instances (
		id INTEGER PRIMARY KEY AUTOINCREMENT,
		cluster_name TEXT NOT NULL,
		env_namespace TEXT NOT NULL,
		project_name TEXT NOT NULL,
		name TEXT NOT NULL,
		chart_name TEXT NOT NULL,
		chart_version TEXT NOT NULL,
		last_deployment INTEGER NOT NULL,
		app_id INTEGER NOT NULL,
		env_id INTEGER NOT NULL,
		created_at TEXT NOT NULL, updated_at TEXT NOT NULL, version INTEGER NOT NULL DEFAULT 1,
		UNIQUE (cluster_name, env_namespace, project_name, name));`,
}

// openDB opens (creating if needed) the SQLite database at path and brings
// its schema up to date with the given migrations. One connection serialises all access, which keeps
// transactions simple and is plenty for a reference server.
func openDB(ctx context.Context, path string, schema []string) (*sql.DB, error) {
	dsn := "file:" + path +
		"?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	if err := migrate(ctx, db, schema); err != nil {
		_ = db.Close()
		return nil, err
	}
	return db, nil
}

func migrate(ctx context.Context, db *sql.DB, migrations []string) error {
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	var current int
	if err := db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&current); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if current > len(migrations) {
		return fmt.Errorf("migrate: database schema version %d is newer than this server (%d)", current, len(migrations))
	}
	for v := current + 1; v <= len(migrations); v++ {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, migrations[v-1]); err != nil {
			_ = tx.Rollback()
			return fmt.Errorf("migration %d: %w", v, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`, v, now()); err != nil {
			_ = tx.Rollback()
			return fmt.Errorf("migration %d: %w", v, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migration %d: %w", v, err)
		}
	}
	return nil
}

// isUniqueViolation reports whether err is SQLite's UNIQUE constraint error.
func isUniqueViolation(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && (se.Code() == 2067 || se.Code() == 1555) // SQLITE_CONSTRAINT_UNIQUE, _PRIMARYKEY
}

// record is one row as returned to clients: column name -> value.
type record map[string]any

// queryRecords runs a SELECT and returns every row as a record. All rows are
// read before returning, so the (single) connection is free again.
func queryRecords(ctx context.Context, q querier, query string, args ...any) ([]record, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer func() { _ = rows.Close() }()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var out []record
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		rec := make(record, len(cols))
		for i, c := range cols {
			if b, ok := vals[i].([]byte); ok {
				vals[i] = string(b)
			}
			rec[c] = vals[i]
		}
		out = append(out, rec)
	}
	return out, rows.Err()
}

// querier is what *sql.DB and *sql.Tx have in common.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// asInt64 converts a value read from SQLite (or decoded from a request) to int64.
func asInt64(v any) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case int:
		return int64(x)
	case float64:
		return int64(x)
	}
	return 0
}

func asString(v any) string {
	s, _ := v.(string)
	return s
}

// rollback ends a transaction that was not committed (a no-op after Commit).
func rollback(tx *sql.Tx) { _ = tx.Rollback() }
