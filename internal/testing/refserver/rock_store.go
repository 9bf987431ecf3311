package refserver

import (
	"context"
	"strings"
)

// rockInsert inserts a row with created_at = updated_at = now and version 0.
func rockInsert(ctx context.Context, q querier, table string, vals map[string]any) (int64, error) {
	t := rockNow()
	vals["created_at"], vals["updated_at"] = t, t
	cols, args := sortedCols(vals)
	res, err := q.ExecContext(ctx, `INSERT INTO `+table+` (`+strings.Join(cols, ", ")+`) VALUES (`+placeholders(len(cols))+`)`, args...)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

func sortedCols(vals map[string]any) ([]string, []any) {
	terms, args := assign(vals)
	cols := make([]string, len(terms))
	for i, t := range terms {
		cols[i] = strings.TrimSuffix(t, " = ?")
	}
	return cols, args
}

// rockUpdate changes columns of a live row; updated_at jumps 8 hours ahead.
func rockUpdate(ctx context.Context, q querier, table string, id int64, vals map[string]any) error {
	vals["updated_at"] = rockShifted()
	set, args := assign(vals)
	_, err := q.ExecContext(ctx, `UPDATE `+table+` SET `+strings.Join(set, ", ")+` WHERE id = ? AND deleted_at IS NULL`, append(args, id)...) //nolint:gosec // identifiers are constants of the callers
	return err
}

// rockSoftDelete marks the rows matching where as deleted.
func rockSoftDelete(ctx context.Context, q querier, table, where string, args ...any) error {
	_, err := q.ExecContext(ctx, `UPDATE `+table+` SET deleted_at = ? WHERE deleted_at IS NULL AND `+where, append([]any{rockNow()}, args...)...) //nolint:gosec // identifiers are constants of the callers
	return err
}

// rockFind returns the first live row matching where.
func rockFind(ctx context.Context, q querier, table, where string, args ...any) (record, bool, error) {
	recs, err := queryRecords(ctx, q, `SELECT * FROM `+table+` WHERE deleted_at IS NULL AND `+where+` ORDER BY id LIMIT 1`, args...) //nolint:gosec // identifiers are constants of the callers
	if err != nil || len(recs) == 0 {
		return nil, false, err
	}
	return recs[0], true, nil
}

// rockKind is a resource's table and its "not found" answer.
type rockKind struct {
	table  string
	status int
	code   int
	msg    string // with one %v for the id
}

var (
	rkApp        = rockKind{"apps", 404, 40400003, "App with id(%v) is not found"}
	rkProject    = rockKind{"projects", 404, 40400004, "Project with id(%v) was not found"}
	rkUser       = rockKind{"users", 404, 40400005, "User with id(%v) was not found"} // users 25, 44-46, 50
	rkRole       = rockKind{"roles", 404, 40400006, "Role with id(%v) was not found"}
	rkCluster    = rockKind{"clusters", 404, 40400007, "Cluster with id(%v) was not found"}
	rkEnv        = rockKind{"envs", 404, 40400008, "Env with id(%v) is not found"}
	rkProjectEnv = rockKind{"project_envs", 404, 40400009, "ProjectEnv with id(%v) was not found"}
	rkDeployment = rockKind{"deployments", 404, 40400011, "Deployment with id(%v) was not found"}
	rkInstance   = rockKind{"instances", 404, 40400012, "Instance with id(%v) was not found"}
)

// rockMust returns the live row with this id, or the kind's "not found".
func rockMust(ctx context.Context, q querier, k rockKind, id int64) (record, error) {
	rec, ok, err := rockFind(ctx, q, k.table, "id = ?", id)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, rockErrorf(k.status, k.code, k.msg, id)
	}
	return rec, nil
}

// pick copies the named columns of a row into an answer.
func pick(rec record, cols ...string) map[string]any {
	out := make(map[string]any, len(cols))
	for _, c := range cols {
		out[c] = rec[c]
	}
	return out
}

// The answer shapes of the re-implementation's response structs.
var (
	shapeProject    = []string{"id", "name", "description", "created_at", "updated_at"}
	shapeCluster    = []string{"id", "name", "description", "created_at", "updated_at"}
	shapeEnv        = []string{"id", "namespace", "description", "cluster_id", "created_at", "updated_at", "version"}
	shapeProjectEnv = []string{"id", "name", "description", "env_id", "project_id", "created_at", "updated_at"}
	shapeApp        = []string{"id", "name", "full_name", "owner", "description", "gitlab_address", "project_id", "drone_repo_id", "created_at", "updated_at", "version"}
	shapeBrief      = []string{"id", "name", "description", "created_at", "updated_at", "version"} // roles, and the app PUT answer
	shapeAppConf    = []string{"id", "config", "created_at", "updated_at", "version", "app_id", "project_env_id"}
	shapeUser       = []string{"id", "name", "email", "role_id", "created_at", "updated_at", "version"}
	shapeDeployment = []string{"id", "name", "description", "created_at", "updated_at", "version", "chart_name", "chart_version", "app_id", "env_id"}
	shapeInstance   = []string{"id", "cluster_name", "env_namespace", "project_name", "name", "chart_name", "chart_version", "created_at", "updated_at", "version"} // list items
	shapeInstanceID = append(append([]string(nil), shapeInstance...), "last_deployment", "app_id", "env_id")
)

// rockCalcPages is the re-implementation's page count: 1 up to one page.
func rockCalcPages(total, size int64) int64 {
	if total <= size {
		return 1
	}
	pages := total / size
	if total%size > 0 {
		pages++
	}
	return pages
}

// rockPage answers one page of the live rows matching where, in order, with
// the columns of shape. pg holds the bound page_num and page_size.
func (s *Server) rockPage(ctx context.Context, pg map[string]any, table, where, order string, shape []string, args ...any) (int, any, error) {
	num, size := num(pg, "page_num"), num(pg, "page_size")
	w := `deleted_at IS NULL AND ` + where
	var total int64
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+table+` WHERE `+w, args...).Scan(&total); err != nil { //nolint:gosec // identifiers are constants of the callers
		return 0, nil, err
	}
	recs, err := queryRecords(ctx, s.db, `SELECT * FROM `+table+` WHERE `+w+` ORDER BY `+order+` LIMIT ? OFFSET ?`, //nolint:gosec // identifiers are constants of the callers
		append(args, size, (num-1)*size)...)
	if err != nil {
		return 0, nil, err
	}
	items := make([]map[string]any, 0, len(recs))
	for _, rec := range recs {
		items = append(items, pick(rec, shape...))
	}
	return 200, map[string]any{"page_num": num, "page_size": size, "total": total, "pages": rockCalcPages(total, size), "items": items}, nil
}

// like is the query_field pattern (MySQL LIKE, so % and _ are wildcards).
func like(pg map[string]any) string { return "%" + str(pg, "query_field") + "%" }
