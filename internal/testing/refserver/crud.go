package refserver

import (
	"context"
	"database/sql"
	"net/http"
	"strings"
	"time"
)

// A spec describes one resource table; the generic handlers below give every
// resource the same create/list/get/update/delete behaviour.
type spec struct {
	name     string   // singular, for messages: "project"
	table    string   // SQL table
	out      []string // columns answered besides id, created_at, updated_at, version
	fields   []field  // columns a request body may set
	codeNF   int      // error_code for "not found"
	conflict string   // message when a UNIQUE constraint fails
	fq       string   // column the fq parameter searches (substring, case-insensitive)
	filters  map[string]string
	inUse    []ref // rows that must be gone before a delete (409 otherwise)
	cascade  []ref // rows deleted together with this one
	// prepare may adjust or reject the values of a create or update.
	prepare func(ctx context.Context, tx *sql.Tx, u *user, vals map[string]any, create bool) error
	// view may hide columns from some roles.
	view func(u *user, rec record)
	// beforeDelete may refuse a delete.
	beforeDelete func(u *user, id int64) error
}

type kind int

const (
	kString kind = iota
	kInt
	kID // a plain integer or {"id": N}
)

type field struct {
	name     string
	kind     kind
	required bool  // on create
	mutable  bool  // may be changed by PUT
	ref      *spec // kID: the row must exist (404 otherwise)
	check    func(string) error
}

// ref names rows of another table that point at a row through column.
type ref struct {
	table, column, what string
}

func (sp *spec) notFound(id int64) error {
	return errf(404, sp.codeNF, "%s %d not found", sp.name, id)
}

// create inserts a row from the body plus the scope columns: 201 and the row.
func (s *Server) create(r *http.Request, u *user, sp *spec, scope map[string]any) (int, any, error) {
	vals, err := readFields(r, sp, true)
	if err != nil {
		return 0, nil, err
	}
	for k, v := range scope {
		vals[k] = v
	}
	ctx := r.Context()
	tx, err := s.begin(ctx)
	if err != nil {
		return 0, nil, err
	}
	defer rollback(tx)
	if err := checkRefs(ctx, tx, sp, vals); err != nil {
		return 0, nil, err
	}
	if sp.prepare != nil {
		if err := sp.prepare(ctx, tx, u, vals, true); err != nil {
			return 0, nil, err
		}
	}
	id, err := insert(ctx, tx, sp, vals)
	if err != nil {
		return 0, nil, err
	}
	rec, err := getRecord(ctx, tx, sp, id, nil)
	if err != nil {
		return 0, nil, err
	}
	if err := tx.Commit(); err != nil {
		return 0, nil, err
	}
	return 201, s.view(sp, u, rec), nil
}

func (s *Server) view(sp *spec, u *user, rec record) record {
	if sp.view != nil {
		sp.view(u, rec)
	}
	return rec
}

// get answers one row.
func (s *Server) get(r *http.Request, u *user, sp *spec, scope map[string]any) (int, any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return 0, nil, err
	}
	rec, err := getRecord(r.Context(), s.db, sp, id, scope)
	if err != nil {
		return 0, nil, err
	}
	return 200, s.view(sp, u, rec), nil
}

// update changes the mutable fields present in the body; version+1.
func (s *Server) update(r *http.Request, u *user, sp *spec, scope map[string]any) (int, any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return 0, nil, err
	}
	vals, err := readFields(r, sp, false)
	if err != nil {
		return 0, nil, err
	}
	ctx := r.Context()
	tx, err := s.begin(ctx)
	if err != nil {
		return 0, nil, err
	}
	defer rollback(tx)
	if _, err := getRecord(ctx, tx, sp, id, scope); err != nil {
		return 0, nil, err
	}
	if err := checkRefs(ctx, tx, sp, vals); err != nil {
		return 0, nil, err
	}
	if sp.prepare != nil {
		if err := sp.prepare(ctx, tx, u, vals, false); err != nil {
			return 0, nil, err
		}
	}
	vals["updated_at"] = now()
	set, args := assign(vals)
	_, err = tx.ExecContext(ctx, `UPDATE `+sp.table+` SET `+strings.Join(set, ", ")+`, version = version + 1 WHERE id = ?`, append(args, id)...) //nolint:gosec // identifiers come from the specs; values are bound
	if isUniqueViolation(err) {
		return 0, nil, errf(409, codeDuplicate, "%s", sp.conflict)
	}
	if err != nil {
		return 0, nil, err
	}
	rec, err := getRecord(ctx, tx, sp, id, nil)
	if err != nil {
		return 0, nil, err
	}
	if err := tx.Commit(); err != nil {
		return 0, nil, err
	}
	return 200, s.view(sp, u, rec), nil
}

// remove deletes a row: 409 while other rows still use it, 204 otherwise.
func (s *Server) remove(r *http.Request, u *user, sp *spec, scope map[string]any) (int, any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return 0, nil, err
	}
	ctx := r.Context()
	tx, err := s.begin(ctx)
	if err != nil {
		return 0, nil, err
	}
	defer rollback(tx)
	if _, err := getRecord(ctx, tx, sp, id, scope); err != nil {
		return 0, nil, err
	}
	if sp.beforeDelete != nil {
		if err := sp.beforeDelete(u, id); err != nil {
			return 0, nil, err
		}
	}
	for _, ref := range sp.inUse {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+ref.table+` WHERE `+ref.column+` = ?`, id).Scan(&n); err != nil {
			return 0, nil, err
		}
		if n > 0 {
			return 0, nil, errf(409, codeInUse, "%s %d is still in use by %d %s", sp.name, id, n, ref.what)
		}
	}
	for _, ref := range sp.cascade {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+ref.table+` WHERE `+ref.column+` = ?`, id); err != nil { //nolint:gosec // identifiers come from the specs
			return 0, nil, err
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM `+sp.table+` WHERE id = ?`, id); err != nil { //nolint:gosec // identifiers come from the specs
		return 0, nil, err
	}
	return 204, nil, tx.Commit()
}

// page is the list envelope.
type page struct {
	Page    int      `json:"page"`
	PerPage int      `json:"per_page"`
	Total   int      `json:"total"`
	Pages   int      `json:"pages"`
	Items   []record `json:"items"`
}

const (
	defaultPerPage = 20
	maxPerPage     = 1000
)

// list answers one page of rows matching scope, the spec's filters, fq and,
// where the table has it, created_after.
func (s *Server) list(r *http.Request, u *user, sp *spec, scope map[string]any) (int, any, error) {
	pg, err := intParam(r, "page", 1, 1<<30)
	if err != nil {
		return 0, nil, err
	}
	per, err := intParam(r, "per_page", defaultPerPage, maxPerPage)
	if err != nil {
		return 0, nil, err
	}
	cond := map[string]any{}
	for k, v := range scope {
		cond[k] = v
	}
	q := r.URL.Query()
	for param, col := range sp.filters {
		if v := q.Get(param); v != "" {
			if strings.HasSuffix(col, "_id") {
				n, err := queryID(r, param)
				if err != nil {
					return 0, nil, err
				}
				cond[col] = n
			} else {
				cond[col] = v
			}
		}
	}
	w, args := where(cond)
	if fq := q.Get("fq"); fq != "" && sp.fq != "" {
		w += ` AND instr(lower(` + sp.fq + `), lower(?)) > 0`
		args = append(args, fq)
	}
	if v := q.Get("created_after"); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return 0, nil, errf(400, codeBadQuery, "query parameter created_after must be an RFC 3339 time")
		}
		w += ` AND created_at >= ?`
		args = append(args, t.UTC().Format(timeLayout))
	}
	ctx := r.Context()
	var total int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+sp.table+` WHERE `+w, args...).Scan(&total); err != nil {
		return 0, nil, err
	}
	recs, err := queryRecords(ctx, s.db, `SELECT `+sp.columns()+` FROM `+sp.table+` WHERE `+w+` ORDER BY id LIMIT ? OFFSET ?`,
		append(args, per, (pg-1)*per)...)
	if err != nil {
		return 0, nil, err
	}
	for _, rec := range recs {
		s.view(sp, u, rec)
	}
	if recs == nil {
		recs = []record{}
	}
	return 200, page{Page: pg, PerPage: per, Total: total, Pages: (total + per - 1) / per, Items: recs}, nil
}
