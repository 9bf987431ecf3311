package refserver

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

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

func intParam(r *http.Request, name string, def, max int) (int, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > max {
		return 0, errf(400, codeBadQuery, "query parameter %s must be an integer from 1 to %d", name, max)
	}
	return n, nil
}

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
