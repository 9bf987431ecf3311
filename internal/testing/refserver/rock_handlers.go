package refserver

import (
	"context"
	"net/http"
)

// The rock dialect's handlers that several resources share; each resource's
// own are in rock_<resource>.go (see rock.go).

// pathID binds the {id} path value as IdReq.
func rockPathID(r *http.Request) (int64, error) {
	in, err := rockIDForm.bindURI(r)
	if err != nil {
		return 0, err
	}
	return num(in, "id"), nil
}

// rockGet answers one live row of k by {id}.
func (s *Server) rockGet(k rockKind, shape []string) rockHandler {
	return func(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
		id, err := rockPathID(r)
		if err != nil {
			return 0, nil, err
		}
		rec, err := rockMust(r.Context(), s.db, k, id)
		if err != nil {
			return 0, nil, err
		}
		return 200, pick(rec, shape...), nil
	}
}

// rockDelete soft-deletes one row of k by {id}: 204, whatever still uses it.
func (s *Server) rockDelete(k rockKind) rockHandler {
	return func(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
		id, err := rockPathID(r)
		if err != nil {
			return 0, nil, err
		}
		if _, err := rockMust(r.Context(), s.db, k, id); err != nil {
			return 0, nil, err
		}
		return 204, nil, rockSoftDelete(r.Context(), s.db, k.table, "id = ?", id)
	}
}

// descriptionForm is the update body of projects, envs, project-envs and
// apps: only the description; every other field is ignored.
func descriptionForm(name string) *rform {
	return &rform{name: name, fields: []rfield{{json: "description", goName: "Description", max: 100}}}
}

// rockDescribe changes the description of one row of k by {id}.
func (s *Server) rockDescribe(k rockKind, shape []string, form string) rockHandler {
	f := descriptionForm(form)
	return func(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
		id, err := rockPathID(r)
		if err != nil {
			return 0, nil, err
		}
		in, err := f.bindJSON(r)
		if err != nil {
			return 0, nil, err
		}
		return s.rockSetDescription(r.Context(), k, id, str(in, "description"), shape)
	}
}

func (s *Server) rockSetDescription(ctx context.Context, k rockKind, id int64, desc string, shape []string) (int, any, error) {
	if _, err := rockMust(ctx, s.db, k, id); err != nil {
		return 0, nil, err
	}
	return s.rockUpdated(ctx, k, id, map[string]any{"description": desc}, shape)
}

// rockUpdated changes columns of a live row of k and answers it (200).
func (s *Server) rockUpdated(ctx context.Context, k rockKind, id int64, vals map[string]any, shape []string) (int, any, error) {
	if err := rockUpdate(ctx, s.db, k.table, id, vals); err != nil {
		return 0, nil, err
	}
	rec, err := rockMust(ctx, s.db, k, id)
	if err != nil {
		return 0, nil, err
	}
	return 200, pick(rec, shape...), nil
}

// rockList answers a page of the live rows of table matching where (args
// may use the bound query through like), in order.
func (s *Server) rockList(form *rform, table, where, order string, shape []string, search bool) rockHandler {
	return func(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
		pg, err := form.bindQuery(r)
		if err != nil {
			return 0, nil, err
		}
		if search {
			return s.rockPage(r.Context(), pg, table, where, order, shape, like(pg))
		}
		return s.rockPage(r.Context(), pg, table, where, order, shape)
	}
}

// rockExists answers a duplicate error when a live row matches where.
func (s *Server) rockExists(ctx context.Context, table, where string, dup error, args ...any) error {
	_, ok, err := rockFind(ctx, s.db, table, where, args...)
	if err != nil {
		return err
	}
	if ok {
		return dup
	}
	return nil
}

// rockCreated inserts a row and answers it with status.
func (s *Server) rockCreated(ctx context.Context, status int, table string, vals map[string]any, shape []string) (int, any, error) {
	id, err := rockInsert(ctx, s.db, table, vals)
	if err != nil {
		return 0, nil, err
	}
	rec, _, err := rockFind(ctx, s.db, table, "id = ?", id)
	if err != nil {
		return 0, nil, err
	}
	return status, pick(rec, shape...), nil
}
