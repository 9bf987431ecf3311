package refserver

import (
	"context"
	"database/sql"
	"sort"
	"strings"
)

// The SQL the generic handlers (crud.go) run on the table of a spec.

func (sp *spec) columns() string {
	return "id, " + strings.Join(sp.out, ", ") + ", created_at, updated_at, version"
}

// assign turns {col: value} into "col = ?" terms and their arguments, in a
// stable order.
func assign(vals map[string]any) ([]string, []any) {
	keys := make([]string, 0, len(vals))
	for k := range vals {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	terms := make([]string, len(keys))
	args := make([]any, len(keys))
	for i, k := range keys {
		terms[i], args[i] = k+" = ?", vals[k]
	}
	return terms, args
}

// where builds "col = ? AND ..." from scope.
func where(scope map[string]any) (string, []any) {
	terms, args := assign(scope)
	if len(terms) == 0 {
		return "1 = 1", nil
	}
	return strings.Join(terms, " AND "), args
}

// getRecord reads one row by id, also requiring the columns in scope.
func getRecord(ctx context.Context, q querier, sp *spec, id int64, scope map[string]any) (record, error) {
	w, args := where(scope)
	recs, err := queryRecords(ctx, q, `SELECT `+sp.columns()+` FROM `+sp.table+` WHERE id = ? AND `+w, append([]any{id}, args...)...)
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, sp.notFound(id)
	}
	return recs[0], nil
}

func (s *Server) begin(ctx context.Context) (*sql.Tx, error) { return s.db.BeginTx(ctx, nil) }

func insert(ctx context.Context, tx querier, sp *spec, vals map[string]any) (int64, error) {
	t := now()
	vals["created_at"], vals["updated_at"] = t, t
	cols := make([]string, 0, len(vals))
	for k := range vals {
		cols = append(cols, k)
	}
	sort.Strings(cols)
	args := make([]any, len(cols))
	for i, c := range cols {
		args[i] = vals[c]
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO `+sp.table+` (`+strings.Join(cols, ", ")+`) VALUES (`+placeholders(len(cols))+`)`, args...)
	if isUniqueViolation(err) {
		return 0, errf(409, codeDuplicate, "%s", sp.conflict)
	}
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}
