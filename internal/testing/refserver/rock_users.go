package refserver

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"syscall"
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
	rockAccessForm = &rform{name: "UpdateUserAccessReq", wrap: true, fields: []rfield{{json: "gitlab_token", goName: "GitlabToken", required: true}}}
	rockRoleForm   = &rform{name: "UpdateUserRoleReq", fields: []rfield{{json: "role_id", goName: "RoleId", isInt: true, required: true, min: 1}}}
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

// rockUserDetail is the re-implementation's user answer (create, get,
// login, password and role changes): the user with its role's fields, read
// whether or not the user is deleted. A role_id naming no role answers
// role_id 0 and empty role fields.
func (s *Server) rockUserDetail(ctx context.Context, id int64) (map[string]any, error) {
	recs, err := queryRecords(ctx, s.db, `SELECT u.id AS id, u.name AS name, u.email AS email, u.created_at AS created_at, u.updated_at AS updated_at,
		COALESCE(r.id, 0) AS role_id, COALESCE(r.name, '') AS role_name, COALESCE(r.description, '') AS role_description,
		COALESCE(r.created_at, '0001-01-01 00:00:00') AS role_created_at, COALESCE(r.updated_at, '0001-01-01 00:00:00') AS role_updated_at,
		COALESCE(r.version, 0) AS role_version
		FROM users u LEFT JOIN roles r ON u.role_id = r.id AND r.deleted_at IS NULL WHERE u.id = ?`, id)
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
	// Users are soft-deleted, and the name check counts deleted users too:
	// a deleted user's name is never free again (its email is).
	var taken int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE name = ?`, name).Scan(&taken); err != nil {
		return 0, nil, err
	}
	if taken > 0 {
		return 0, nil, rockErrorf(400, 40000001, "user with name(%v) already exists", name)
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
	if err := rockUpdate(ctx, s.db, "users", id, map[string]any{"token": tok}); err != nil {
		return 0, nil, err
	}
	return s.rockUserAnswer(ctx, id)
}

func (s *Server) rockUserAnswer(ctx context.Context, id int64) (int, any, error) {
	detail, err := s.rockUserDetail(ctx, id)
	if err != nil {
		return 0, nil, err
	}
	return 200, detail, nil
}

// GET /v1/users/{id}: anyone may read any user (IsUserSelfOrAdmin checks
// the caller against itself), deleted users too (the query does not skip
// soft-deleted rows); an id that never existed is gorm's "record not found",
// answered 500 {}.
func (s *Server) rockGetUser(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
	in, err := rockUserIDForm.bindURI(r)
	if err != nil {
		return 0, nil, err
	}
	return s.rockUserAnswer(r.Context(), num(in, "id"))
}

// DELETE /v1/users/{id}: 200 with a string. The user is soft-deleted (its
// updated_at becomes the time of the deletion, not shifted).
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
	now := rockNow()
	if _, err := s.db.ExecContext(ctx, `UPDATE users SET deleted_at = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL`, now, now, id); err != nil {
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
	if err := rockUpdate(ctx, s.db, "users", id, map[string]any{"password": hash, "token": tok}); err != nil {
		return 0, nil, err
	}
	return s.rockUserAnswer(ctx, id)
}

// PUT /v1/users/{id}/roles {role_id}. The user's current token keeps the
// role it was issued with until the next login. The server stores any
// role_id (one naming no role reads back as role_id 0), and then looks up
// the role by the USER's id: where no role has that id (every user id
// above the four seeded roles) it answers 404 40400006 "Role with id(<user
// id>) was not found", after the change is made.
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
	if u["name"] == "admin" {
		return 0, nil, rockErrorf(400, 40000021, "admin user's admin property can't be changed")
	}
	if err := rockUpdate(ctx, s.db, "users", id, map[string]any{"role_id": num(in, "role_id")}); err != nil {
		return 0, nil, err
	}
	if _, err := rockMust(ctx, s.db, rkRole, id); err != nil {
		return 0, nil, err
	}
	return s.rockUserAnswer(ctx, id)
}

// rockGitlabAddr is where the re-implementation reaches its GitLab
// authorisation (the recording's setting); nothing of this server listens
// there.
const rockGitlabAddr = "127.0.0.1:18100"

// rockConnRefused is Linux's ECONNREFUSED (111), whatever the platform this
// server runs on: the recording's server ran on Linux.
const rockConnRefused = syscall.Errno(111)

// PUT /v1/users/{id}/access {gitlab_token}: the re-implementation posts the
// token to GitLab; with no GitLab listening (always, here) the request's
// *url.Error reaches the error handler, which marshals it as is: 500
// {error: {Op, URL, Err: {Op, Net, Source, Addr, Err}}}.
func (s *Server) rockSetAccess(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
	if _, err := rockUserIDForm.bindURI(r); err != nil {
		return 0, nil, err
	}
	if _, err := rockAccessForm.bindJSON(r); err != nil {
		return 0, nil, err
	}
	addr, err := net.ResolveTCPAddr("tcp", rockGitlabAddr)
	if err != nil {
		return 0, nil, err
	}
	return 0, nil, rockPanic(&url.Error{Op: "Post", URL: "http://" + rockGitlabAddr + "/api/authorize", Err: &net.OpError{
		Op: "dial", Net: "tcp", Addr: addr, Err: &os.SyscallError{Syscall: "connect", Err: rockConnRefused},
	}})
}
