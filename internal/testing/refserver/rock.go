package refserver

// The rock dialect: the public re-implementation of the Galaxias backend
// (github.com/rockwang465/go.rock.com, rock-platform/rock/server; gin, gorm,
// MySQL) as it really answers, defects included. Every fact reproduced here
// is noted in docs/galaxias-api.md and in
// /work/shared/reference/galaxias-reimplementation.md; the tests in
// rock_test.go hold the server to each, and conformance_test.go to the
// recorded answers of the real server (testdata/rock-transcripts). Where the
// re-implementation needs Tiller or a cluster, Helm's template engine
// renders the chart instead; Tiller always answers unless the test switch
// tiller_down says a cluster's is down. The instance routes that read
// Kubernetes (pods, configs, scale, logs) ask the cluster's API server, the
// server of its kubeconfig, and pass a refusal on as client-go makes it.
//
// In short: times are "YYYY-MM-DD hh:mm:ss" (updated_at 8 hours ahead after
// an update), lists need page_num and page_size and answer {page_num,
// page_size, total, pages, items}, binding failures are 500 with the Go
// error value marshalled as "error", 401 bodies are bare JSON strings,
// deletes are soft, and there is no jti: two logins of a user within one
// second produce the same token, which the server dereferences into a nil
// pointer (500).
//
// The dialect's files: rock.go (schema, start, errors), rock_bind.go (request
// binding and validation), rock_auth.go (tokens and login),
// rock_auth_reset.go (logout and the password reset), rock_store.go
// (rows, pages and record shapes), rock_routes.go (the route table),
// rock_handlers.go (handlers several resources share) and the handlers of
// each resource: rock_users.go, rock_roles.go, rock_projects.go (and project-envs),
// rock_clusters.go (and envs), rock_nodes.go, rock_apps.go (and app
// configs), rock_charts.go, rock_deployments.go (and instance lists),
// rock_instances.go (the other instance routes, Tiller) and rock_kube.go
// (calls to a cluster's API server and their errors).

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
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
	// 2: the password reset secret (POST /v1/auth/reset, PUT /v1/auth/pwd).
	`ALTER TABLE users ADD COLUMN reset_secret TEXT NOT NULL DEFAULT '';
	ALTER TABLE users ADD COLUMN secret_expired_at TEXT;`,
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

// ---- errors ---------------------------------------------------------------

// rockError is an answer of the re-implementation's error handler: a status
// and whatever body it writes (an object, or a bare string for 401s).
type rockError struct {
	status int
	body   any
}

func (e *rockError) Error() string {
	b, _ := json.Marshal(e.body)
	return fmt.Sprintf("%d %s", e.status, b)
}

// rockErrorf is a RockError: {"error": msg, "error_code": code}.
func rockErrorf(status, code int, format string, args ...any) error {
	return &rockError{status, map[string]any{"error": fmt.Sprintf(format, args...), "error_code": code}}
}

// rockPanic is what the error handler answers for any other panicked value:
// the value itself, marshalled by encoding/json (a validator error is a list
// of empty objects, a plain Go error is {}), with the code 5000001.
func rockPanic(v any) error {
	return &rockError{500, map[string]any{"error": v, "error_code": 5000001, "switch": "default"}}
}

// rockNilPointer is the runtime error of a nil pointer dereference, as the
// error handler answers it (a runtime error string marshals as its text).
var rockNilPointer = rockPanic("invalid memory address or nil pointer dereference")

// rockNotFoundRecord is gorm's "record not found" error as the error handler
// answers it when it reaches it unwrapped (errors.New marshals as {}).
var rockNotFoundRecord = rockPanic(struct{}{})

// rockAdminRefusal is the answer of the IsAdmin middleware.
var rockAdminRefusal = rockErrorf(401, 40100001, "Permission denied, only system_tools_admin or admin role can do this operation")

func writeRock(w http.ResponseWriter, s *Server, r *http.Request, status int, v any, err error) {
	if err == nil {
		writeJSON(w, status, v)
		return
	}
	var re *rockError
	var ae *apiError
	switch {
	case errors.As(err, &re):
		writeJSON(w, re.status, re.body)
	case errors.As(err, &ae): // the test-only routes keep the contract's errors
		s.writeError(w, r, err)
	default:
		s.log.Error("internal error", "method", r.Method, "path", r.URL.Path, "err", err)
		writeJSON(w, 500, map[string]any{"error": fmt.Sprintf("Mysql Error: %v", err), "error_code": 50000002})
	}
}
