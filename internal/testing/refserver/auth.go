package refserver

import (
	"context"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// The four platform roles.
const (
	RoleAdmin            = "admin"
	RoleSystemToolsAdmin = "system_tools_admin"
	RoleDeveloper        = "developer"
	RoleDeployer         = "deployer"
)

type roles []string

func (rs roles) has(r string) bool { return slices.Contains(rs, r) }

// Who may call what (documented in docs/galaxias-api.md).
var (
	anyRole   = roles{RoleAdmin, RoleSystemToolsAdmin, RoleDeveloper, RoleDeployer}
	adminOnly = roles{RoleAdmin}
	infra     = roles{RoleAdmin, RoleSystemToolsAdmin}                // clusters, envs, projects, project-envs
	builders  = roles{RoleAdmin, RoleSystemToolsAdmin, RoleDeveloper} // apps, app config, charts
	deployers = roles{RoleAdmin, RoleSystemToolsAdmin, RoleDeployer}  // deployments, instances
)

// user is the authenticated caller.
type user struct {
	ID   int64
	Name string
	Role string
}

// claims are the evidenced Galaxias token claims plus jti, so that two logins
// in the same second still give different tokens.
type claims struct {
	UserID     int64  `json:"user_id"`
	Username   string `json:"username"`
	DroneToken string `json:"drone_token"`
	Password   string `json:"password"`
	Role       string `json:"role"`
	jwt.RegisteredClaims
}

// tokenFrom takes the token from "Authorization: Bearer" or the token cookie.
func tokenFrom(r *http.Request) string {
	if h := r.Header.Get("Authorization"); h != "" {
		if t, ok := strings.CutPrefix(h, "Bearer "); ok {
			return strings.TrimSpace(t)
		}
	}
	if c, err := r.Cookie("token"); err == nil {
		return c.Value
	}
	return ""
}

// authenticate accepts a token only if it is signed by this server and equals
// the token currently stored for its user.
func (s *Server) authenticate(r *http.Request) (*user, error) {
	tok := tokenFrom(r)
	if tok == "" {
		return nil, errf(401, codeNoToken, "authentication required: send the token cookie or an Authorization: Bearer header (POST /v1/auth/login issues one)")
	}
	var c claims
	_, err := jwt.ParseWithClaims(tok, &c, func(*jwt.Token) (any, error) { return s.secret, nil },
		jwt.WithValidMethods([]string{"HS256"}))
	if err != nil {
		return nil, errf(401, codeBadToken, "invalid token: %v", err)
	}
	var u user
	var stored string
	err = s.db.QueryRowContext(r.Context(), `SELECT id, name, role, token FROM users WHERE id = ?`, c.UserID).
		Scan(&u.ID, &u.Name, &u.Role, &stored)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errf(401, codeBadToken, "invalid token: its user no longer exists")
	}
	if err != nil {
		return nil, err
	}
	switch {
	case stored == "":
		return nil, errf(401, codeRevoked, "token was revoked (the password of user %s changed); log in again", u.Name)
	case subtle.ConstantTimeCompare([]byte(stored), []byte(tok)) != 1:
		return nil, errf(401, codeReplaced, "token was replaced by a newer login of user %s; log in again", u.Name)
	}
	return &u, nil
}

// login: POST /v1/auth/login {"name","password"}. Answers the user plus
// "token", and sets the token cookie. Every login replaces the user's token.
func (s *Server) login(w http.ResponseWriter, r *http.Request) (int, any, error) {
	var in struct {
		Name     string `json:"name"`
		Password string `json:"password"`
	}
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	if in.Name == "" || in.Password == "" {
		return 0, nil, errf(400, codeInvalid, "name and password are required")
	}
	ctx := r.Context()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, nil, err
	}
	defer rollback(tx)
	var id int64
	var role, hash string
	err = tx.QueryRowContext(ctx, `SELECT id, role, password_hash FROM users WHERE name = ?`, in.Name).Scan(&id, &role, &hash)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !checkPassword(hash, in.Password)) {
		return 0, nil, errf(401, codeBadLogin, "wrong user name or password")
	}
	if err != nil {
		return 0, nil, err
	}
	tok, err := s.issueToken(id, in.Name, role, hash)
	if err != nil {
		return 0, nil, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE users SET token = ? WHERE id = ?`, tok, id); err != nil {
		return 0, nil, err
	}
	rec, err := getRecord(ctx, tx, usersSpec, id, nil)
	if err != nil {
		return 0, nil, err
	}
	if err := tx.Commit(); err != nil {
		return 0, nil, err
	}
	rec["token"] = tok
	http.SetCookie(w, &http.Cookie{Name: "token", Value: tok, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil}) //nolint:gosec // Secure whenever served over TLS; the reference server usually is not
	return 200, rec, nil
}

func (s *Server) issueToken(id int64, name, role, hash string) (string, error) {
	jti := make([]byte, 12)
	rand.Read(jti)
	c := claims{
		UserID: id, Username: name, Password: hash, Role: role,
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:   "console",
			Subject:  strconv.FormatInt(id, 10),
			IssuedAt: jwt.NewNumericDate(time.Now()),
			ID:       base64.RawURLEncoding.EncodeToString(jti),
		},
	}
	return jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(s.secret)
}

const pbkdf2Iter = 10000

// hashPassword returns a salted PBKDF2-SHA256 hash: pbkdf2-sha256$iter$salt$key.
func hashPassword(pw string) (string, error) {
	salt := make([]byte, 16)
	rand.Read(salt)
	key, err := pbkdf2.Key(sha256.New, pw, salt, pbkdf2Iter, 32)
	if err != nil {
		return "", err
	}
	enc := base64.RawStdEncoding
	return fmt.Sprintf("pbkdf2-sha256$%d$%s$%s", pbkdf2Iter, enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

func checkPassword(stored, pw string) bool {
	parts := strings.Split(stored, "$")
	if len(parts) != 4 || parts[0] != "pbkdf2-sha256" {
		return false
	}
	iter, err1 := strconv.Atoi(parts[1])
	salt, err2 := base64.RawStdEncoding.DecodeString(parts[2])
	want, err3 := base64.RawStdEncoding.DecodeString(parts[3])
	if err1 != nil || err2 != nil || err3 != nil {
		return false
	}
	got, err := pbkdf2.Key(sha256.New, pw, salt, iter, len(want))
	return err == nil && subtle.ConstantTimeCompare(got, want) == 1
}

func validRole(r string) error {
	if !anyRole.has(r) {
		return errf(400, codeInvalid, "role must be one of %s", strings.Join(anyRole, ", "))
	}
	return nil
}

// ensureAdmin creates the admin user if no user of that name exists.
func (s *Server) ensureAdmin(ctx context.Context, name, password string) error {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE name = ?`, name).Scan(&n); err != nil || n > 0 {
		return err
	}
	if password == "" {
		return errors.New("refserver: an admin password is required to create the admin user")
	}
	hash, err := hashPassword(password)
	if err != nil {
		return err
	}
	t := now()
	_, err = s.db.ExecContext(ctx, `INSERT INTO users (name, role, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`,
		name, RoleAdmin, hash, t, t)
	return err
}

// prepareUser validates the role and turns "password" into password_hash.
func prepareUser(_ context.Context, _ *sql.Tx, _ *user, vals map[string]any, create bool) error {
	if create {
		if vals["role"] == nil {
			vals["role"] = RoleDeveloper
		}
		if err := validRole(asString(vals["role"])); err != nil {
			return err
		}
	}
	if pw, ok := vals["password"]; ok {
		hash, err := hashPassword(asString(pw))
		if err != nil {
			return err
		}
		delete(vals, "password")
		vals["password_hash"] = hash
	}
	return nil
}

// setPassword: PUT /v1/users/{id}/password {"password"}. The user's current
// token is revoked.
func (s *Server) setPassword(r *http.Request, _ *user) (int, any, error) {
	var in struct {
		Password string `json:"password"`
	}
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	if in.Password == "" {
		return 0, nil, errf(400, codeInvalid, "password is required")
	}
	hash, err := hashPassword(in.Password)
	if err != nil {
		return 0, nil, err
	}
	return s.updateUser(r, "password_hash = ?, token = ''", hash)
}

// setRole: PUT /v1/users/{id}/roles {"role"}.
func (s *Server) setRole(r *http.Request, _ *user) (int, any, error) {
	var in struct {
		Role string `json:"role"`
	}
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	if err := validRole(in.Role); err != nil {
		return 0, nil, err
	}
	return s.updateUser(r, "role = ?", in.Role)
}

func (s *Server) updateUser(r *http.Request, set string, arg any) (int, any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return 0, nil, err
	}
	ctx := r.Context()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, nil, err
	}
	defer rollback(tx)
	res, err := tx.ExecContext(ctx, `UPDATE users SET `+set+`, updated_at = ?, version = version + 1 WHERE id = ?`, arg, now(), id) //nolint:gosec // set is a constant of the callers
	if err != nil {
		return 0, nil, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return 0, nil, usersSpec.notFound(id)
	}
	rec, err := getRecord(ctx, tx, usersSpec, id, nil)
	if err != nil {
		return 0, nil, err
	}
	return 200, rec, tx.Commit()
}
