package refserver

import (
	"context"
	"net/http"
	"regexp"
)

// The rock dialect's handlers of users and roles.

var (
	rockCreateUserForm = &rform{name: "CreateUserReq", fields: []rfield{
		{json: "name", goName: "Name", required: true},
		{json: "password", goName: "Password", required: true},
		{json: "email", goName: "Email", required: true, email: true},
		{json: "role_id", goName: "RoleId", isInt: true, required: true},
	}}
	rockUserPageForm = &rform{name: "GetPaginationReq", fields: rockPageForm.fields, wrap: true}
	rockUserIDForm   = &rform{name: "IdReq", fields: rockIDForm.fields, wrap: true}
	rockPasswordForm = &rform{name: "UpdateUserPwdReq", wrap: true, fields: []rfield{
		{json: "old_password", goName: "OldPassword", required: true},
		{json: "new_password", goName: "NewPassword", required: true},
	}}
	rockRoleForm = &rform{name: "UpdateUserRoleReq", fields: []rfield{{json: "role_id", goName: "RoleId", isInt: true, required: true, min: 1}}}
)

var (
	pwDigit   = regexp.MustCompile(`[0-9]+`)
	pwUpper   = regexp.MustCompile(`[A-Z]+`)
	pwLower   = regexp.MustCompile(`[a-z]+`)
	pwSpecial = regexp.MustCompile(`[~!@#$%^&*?_-]+`)
)

// rockCheckPassword is the re-implementation's password rule: 6 to 20
// characters of at least two kinds.
func rockCheckPassword(pw string) error {
	if len(pw) < 6 {
		return rockErrorf(400, 42200002, "The password length is too short, greater than or equal 6")
	}
	if len(pw) > 20 {
		return rockErrorf(400, 40000002, "The password length is too long, less than or equal 20")
	}
	kinds := 0
	for _, re := range []*regexp.Regexp{pwDigit, pwUpper, pwLower, pwSpecial} {
		if re.MatchString(pw) {
			kinds++
		}
	}
	if kinds < 2 {
		return rockErrorf(400, 40000007, "Password not strong")
	}
	return nil
}

func (s *Server) rockUserDetail(ctx context.Context, id int64) (map[string]any, error) {
	recs, err := queryRecords(ctx, s.db, `SELECT u.id AS id, u.name AS name, u.email AS email, u.created_at AS created_at, u.updated_at AS updated_at,
		r.id AS role_id, r.name AS role_name, r.description AS role_description, r.created_at AS role_created_at,
		r.updated_at AS role_updated_at, r.version AS role_version
		FROM users u LEFT JOIN roles r ON u.role_id = r.id WHERE u.id = ?`, id)
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, rockNotFoundRecord
	}
	return recs[0], nil
}

// POST /v1/users {name, password, email, role_id}: 200 (and the
// re-implementation mails the password; this server only logs that).
func (s *Server) rockCreateUser(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
	in, err := rockCreateUserForm.bindJSON(r)
	if err != nil {
		return 0, nil, err
	}
	ctx := r.Context()
	name, email := str(in, "name"), str(in, "email")
	if err := rockCheckPassword(str(in, "password")); err != nil {
		return 0, nil, err
	}
	if err := s.rockExists(ctx, "users", "email = ?", rockErrorf(400, 40000009, "Email %v was registered", email), email); err != nil {
		return 0, nil, err
	}
	if err := s.rockExists(ctx, "users", "name = ?", rockErrorf(400, 40000001, "user with name(%v) is alerady exist", name), name); err != nil {
		return 0, nil, err
	}
	role, err := s.rockRoleName(ctx, num(in, "role_id"))
	if err != nil {
		return 0, nil, err
	}
	if role == "" {
		return 0, nil, rockNotFoundRecord
	}
	hash, err := hashPassword(str(in, "password"))
	if err != nil {
		return 0, nil, err
	}
	id, err := rockInsert(ctx, s.db, "users", map[string]any{"name": name, "password": hash, "email": email, "role_id": num(in, "role_id")})
	if err != nil {
		return 0, nil, err
	}
	s.log.Info("rock: would mail the new user's password", "user", name, "email", email)
	// The server gives the new user a token at once (which is why a login
	// in the same second fails).
	tok, err := s.rockToken(id, name, hash, role)
	if err != nil {
		return 0, nil, err
	}
	return s.rockUpdated(ctx, rkUser, id, map[string]any{"token": tok}, shapeUser)
}

// GET /v1/users/{id}: anyone may read any user (IsUserSelfOrAdmin checks
// the caller against itself).
func (s *Server) rockGetUser(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
	in, err := rockUserIDForm.bindURI(r)
	if err != nil {
		return 0, nil, err
	}
	rec, ok, err := rockFind(r.Context(), s.db, "users", "id = ?", num(in, "id"))
	if err != nil {
		return 0, nil, err
	}
	if !ok {
		return 0, nil, rockNotFoundRecord
	}
	return 200, pick(rec, shapeUser...), nil
}

// DELETE /v1/users/{id}: 200 with a string.
func (s *Server) rockDeleteUser(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
	in, err := rockUserIDForm.bindURI(r)
	if err != nil {
		return 0, nil, err
	}
	ctx := r.Context()
	id := num(in, "id")
	rec, err := rockMust(ctx, s.db, rkUser, id)
	if err != nil {
		return 0, nil, err
	}
	if rec["name"] == "admin" {
		return 0, nil, rockErrorf(400, 40400002, "Admin user can't be deleted")
	}
	if err := rockSoftDelete(ctx, s.db, "users", "id = ?", id); err != nil {
		return 0, nil, err
	}
	return 200, "Delete user successful", nil
}

// PUT /v1/users/{id}/password {old_password, new_password}: the user gets a
// new token (signed with the caller's role), so its old token stops working.
func (s *Server) rockSetPassword(w http.ResponseWriter, r *http.Request, c *rockCaller) (int, any, error) {
	idIn, err := rockUserIDForm.bindURI(r)
	if err != nil {
		return 0, nil, err
	}
	in, err := rockPasswordForm.bindJSON(r)
	if err != nil {
		return 0, nil, err
	}
	ctx := r.Context()
	id := num(idIn, "id")
	u, err := rockMust(ctx, s.db, rkUser, id)
	if err != nil {
		return 0, nil, err
	}
	oldPW, newPW := str(in, "old_password"), str(in, "new_password")
	if oldPW == newPW {
		return 0, nil, rockErrorf(400, 40000008, "The new password cannot be the same as the old one")
	}
	if err := rockCheckPassword(newPW); err != nil {
		return 0, nil, err
	}
	if !checkPassword(asString(u["password"]), oldPW) {
		return 0, nil, rockErrorf(400, 40000003, "password incorrect")
	}
	hash, err := hashPassword(newPW)
	if err != nil {
		return 0, nil, err
	}
	tok, err := s.rockToken(id, asString(u["name"]), hash, c.Role)
	if err != nil {
		return 0, nil, err
	}
	if c.Name == u["name"] {
		s.rockSetCookie(w, tok)
	}
	return s.rockUpdated(ctx, rkUser, id, map[string]any{"password": hash, "token": tok}, shapeUser)
}

// PUT /v1/users/{id}/roles {role_id}. The user's current token keeps the
// role it was issued with until the next login.
func (s *Server) rockSetRole(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
	id, err := rockPathID(r)
	if err != nil {
		return 0, nil, err
	}
	in, err := rockRoleForm.bindJSON(r)
	if err != nil {
		return 0, nil, err
	}
	ctx := r.Context()
	u, err := rockMust(ctx, s.db, rkUser, id)
	if err != nil {
		return 0, nil, err
	}
	if _, err := rockMust(ctx, s.db, rkRole, num(in, "role_id")); err != nil {
		return 0, nil, err
	}
	if u["name"] == "admin" {
		return 0, nil, rockErrorf(400, 40000021, "The admin user's role can't be changed")
	}
	return s.rockUpdated(ctx, rkUser, id, map[string]any{"role_id": num(in, "role_id")}, shapeUser)
}
