package refserver

// The rock dialect: the public re-implementation of the Galaxias backend
// (github.com/rockwang465/go.rock.com, rock-platform/rock/server; gin, gorm,
// MySQL) as it really answers, defects included. Every fact reproduced here
// is noted in docs/galaxias-api.md and in
// /work/shared/reference/galaxias-reimplementation.md; the tests in
// rock_test.go hold the server to each. Where the re-implementation needs
// Tiller or a cluster, Helm's template engine renders the chart instead.
//
// In short: times are "YYYY-MM-DD hh:mm:ss" (updated_at 8 hours ahead after
// an update), lists need page_num and page_size and answer {page_num,
// page_size, total, pages, items}, binding failures are 500 with the Go
// error value marshalled as "error", 401 bodies are bare JSON strings,
// deletes are soft, and there is no jti: two logins of a user within one
// second produce the same token, which the server dereferences into a nil
// pointer (500).

import (
	"context"
	"errors"
	"time"
)

// rockMigrations is the rock dialect's schema (rock.db). Deleted rows keep
// their row with deleted_at set, as gorm's soft delete does.
var rockMigrations = []string{
	`CREATE TABLE roles (
		id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, description TEXT NOT NULL DEFAULT '',
		created_at TEXT NOT NULL, updated_at TEXT NOT NULL, deleted_at TEXT, version INTEGER NOT NULL DEFAULT 0);
	CREATE TABLE users (
		id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, password TEXT NOT NULL, email TEXT NOT NULL,
		role_id INTEGER NOT NULL, token TEXT NOT NULL DEFAULT '',
		created_at TEXT NOT NULL, updated_at TEXT NOT NULL, deleted_at TEXT, version INTEGER NOT NULL DEFAULT 0);
	CREATE TABLE projects (
		id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, description TEXT NOT NULL DEFAULT '',
		created_at TEXT NOT NULL, updated_at TEXT NOT NULL, deleted_at TEXT, version INTEGER NOT NULL DEFAULT 0);
	CREATE TABLE clusters (
		id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, description TEXT NOT NULL DEFAULT '',
		config TEXT NOT NULL DEFAULT '',
		created_at TEXT NOT NULL, updated_at TEXT NOT NULL, deleted_at TEXT, version INTEGER NOT NULL DEFAULT 0);
	CREATE TABLE envs (
		id INTEGER PRIMARY KEY AUTOINCREMENT, namespace TEXT NOT NULL, description TEXT NOT NULL DEFAULT '',
		cluster_id INTEGER NOT NULL,
		created_at TEXT NOT NULL, updated_at TEXT NOT NULL, deleted_at TEXT, version INTEGER NOT NULL DEFAULT 0);
	CREATE TABLE project_envs (
		id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, description TEXT NOT NULL DEFAULT '',
		env_id INTEGER NOT NULL, project_id INTEGER NOT NULL,
		created_at TEXT NOT NULL, updated_at TEXT NOT NULL, deleted_at TEXT, version INTEGER NOT NULL DEFAULT 0);
	CREATE TABLE apps (
		id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, full_name TEXT NOT NULL DEFAULT '',
		owner TEXT NOT NULL DEFAULT '', description TEXT NOT NULL DEFAULT '', gitlab_address TEXT NOT NULL DEFAULT '',
		project_id INTEGER NOT NULL, gitlab_project_id INTEGER NOT NULL DEFAULT 0, drone_repo_id INTEGER NOT NULL DEFAULT 0,
		created_at TEXT NOT NULL, updated_at TEXT NOT NULL, deleted_at TEXT, version INTEGER NOT NULL DEFAULT 0);
	CREATE TABLE app_confs (
		id INTEGER PRIMARY KEY AUTOINCREMENT, app_id INTEGER NOT NULL, project_env_id INTEGER NOT NULL,
		config TEXT NOT NULL DEFAULT '',
		created_at TEXT NOT NULL, updated_at TEXT NOT NULL, deleted_at TEXT, version INTEGER NOT NULL DEFAULT 0);
	CREATE TABLE deployments (
		id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, description TEXT NOT NULL DEFAULT '',
		chart_name TEXT NOT NULL, chart_version TEXT NOT NULL, app_id INTEGER NOT NULL, env_id INTEGER NOT NULL,
		created_at TEXT NOT NULL, updated_at TEXT NOT NULL, deleted_at TEXT, version INTEGER NOT NULL DEFAULT 0);
	CREATE TABLE instances (
		id INTEGER PRIMARY KEY AUTOINCREMENT, cluster_name TEXT NOT NULL, env_namespace TEXT NOT NULL,
		project_name TEXT NOT NULL, name TEXT NOT NULL, chart_name TEXT NOT NULL, chart_version TEXT NOT NULL,
		last_deployment INTEGER NOT NULL, app_id INTEGER NOT NULL, env_id INTEGER NOT NULL,
		created_at TEXT NOT NULL, updated_at TEXT NOT NULL, deleted_at TEXT, version INTEGER NOT NULL DEFAULT 0);`,
}

// rockRoles are the re-implementation's role rows, by id.
var rockRoles = []struct{ name, description string }{
	{RoleAdmin, "administrator role of system"},
	{RoleSystemToolsAdmin, "system tools' administrator"},
	{RoleDeveloper, "developer role"},
	{RoleDeployer, "deployer role"},
}

// rockTimeLayout is the re-implementation's time format (no offset).
const rockTimeLayout = "2006-01-02 15:04:05"

// rockShift is how far updated_at jumps after an update: the server writes
// its Asia/Shanghai wall clock into a column that was read as UTC.
const rockShift = 8 * time.Hour

func rockNow() string     { return time.Now().UTC().Format(rockTimeLayout) }
func rockShifted() string { return time.Now().UTC().Add(rockShift).Format(rockTimeLayout) }

// rockInit creates the role rows and the admin user when they are absent.
func (s *Server) rockInit(ctx context.Context, adminName, adminPassword string) error {
	for i, r := range rockRoles {
		var n int
		if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM roles WHERE id = ?`, i+1).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			t := rockNow()
			if _, err := s.db.ExecContext(ctx, `INSERT INTO roles (id, name, description, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`,
				i+1, r.name, r.description, t, t); err != nil {
				return err
			}
		}
	}
	if adminName == "" {
		return nil
	}
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE name = ? AND deleted_at IS NULL`, adminName).Scan(&n); err != nil || n > 0 {
		return err
	}
	if adminPassword == "" {
		return errors.New("refserver: an admin password is required to create the admin user")
	}
	hash, err := hashPassword(adminPassword)
	if err != nil {
		return err
	}
	_, err = rockInsert(ctx, s.db, "users", map[string]any{"name": adminName, "password": hash, "email": adminName + "@example.com", "role_id": 1})
	return err
}
