package refserver

import (
	"net/http"
)

// The rock dialect's role writes and a role's users (users.jsonl 53-60).

var (
	rockCreateRoleForm = &rform{name: "CreateRoleReq", fields: []rfield{
		{json: "name", goName: "Name", required: true},
		{json: "description", goName: "Description", omitempty: true, max: 100},
	}}
	rockUpdateRoleForm = &rform{name: "UpdateRoleReq", fields: []rfield{
		{json: "description", goName: "Description", omitempty: true, max: 100},
	}}
)

// POST /v1/roles {name, description}: 201 with the role. A name a live role
// already has is not refused: the answer is that role, unchanged (its
// description too).
func (s *Server) rockCreateRole(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
	in, err := rockCreateRoleForm.bindJSON(r)
	if err != nil {
		return 0, nil, err
	}
	ctx := r.Context()
	rec, ok, err := rockFind(ctx, s.db, "roles", "name = ?", str(in, "name"))
	if err != nil {
		return 0, nil, err
	}
	if ok {
		return 201, pick(rec, shapeBrief...), nil
	}
	return s.rockCreated(ctx, 201, "roles", map[string]any{"name": str(in, "name"), "description": str(in, "description")}, shapeBrief)
}

// PUT /v1/roles/{id} {description}: only the description changes (a name
// is ignored). The answer is the role as read before the change with the
// new description and an updated_at of now, not shifted (the next read
// answers the shifted one).
func (s *Server) rockUpdateRole(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
	id, err := rockPathID(r)
	if err != nil {
		return 0, nil, err
	}
	in, err := rockUpdateRoleForm.bindJSON(r)
	if err != nil {
		return 0, nil, err
	}
	ctx := r.Context()
	rec, err := rockMust(ctx, s.db, rkRole, id)
	if err != nil {
		return 0, nil, err
	}
	if err := rockUpdate(ctx, s.db, "roles", id, map[string]any{"description": str(in, "description")}); err != nil {
		return 0, nil, err
	}
	rec["description"], rec["updated_at"] = str(in, "description"), rockNow()
	return 200, pick(rec, shapeBrief...), nil
}

// GET /v1/roles/{id}/users?page_num&page_size: a page of the role's live
// users, most recently updated first (page_num and page_size required:
// 500 [{}, {}] without them).
func (s *Server) rockRoleUsers(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
	id, err := rockPathID(r)
	if err != nil {
		return 0, nil, err
	}
	pg, err := rockPageForm.bindQuery(r)
	if err != nil {
		return 0, nil, err
	}
	return s.rockPage(r.Context(), pg, "users", "role_id = ?", "updated_at DESC, id DESC", shapeUser, id)
}
