package refserver

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// rockCaller is the authenticated caller; its role comes from the token.
type rockCaller struct {
	ID   int64
	Name string
	Role string
}

func (c *rockCaller) isAdmin() bool { return c.Role == RoleAdmin || c.Role == RoleSystemToolsAdmin }

// rockClaims are the re-implementation's token claims: no jti, so a token
// is a function of the user, its password hash, its role and the second.
type rockClaims struct {
	UserID   int64  `json:"user_id"`
	Username string `json:"username"`
	Password string `json:"password"`
	Role     string `json:"role"`
	jwt.RegisteredClaims
}

// rockIssuer is the re-implementation's iss claim (not the platform's "console").
const rockIssuer = "Rock Wang"

func (s *Server) rockToken(id int64, name, hash, role string) (string, error) {
	now := time.Now()
	c := rockClaims{UserID: id, Username: name, Password: hash, Role: role, RegisteredClaims: jwt.RegisteredClaims{
		ExpiresAt: jwt.NewNumericDate(now.Add(time.Minute + s.tokenExpire)),
		IssuedAt:  jwt.NewNumericDate(now),
		Issuer:    rockIssuer,
		Subject:   "Login token",
	}}
	return jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(s.secret)
}

// rockSetCookie sets the token cookie the way the re-implementation does:
// its max-age is tokenExpire in whole seconds (0 with the shipped setting,
// which makes it a session cookie).
func (s *Server) rockSetCookie(w http.ResponseWriter, token string) {
	http.SetCookie(w, &http.Cookie{Name: "token", Value: token, Path: "/", HttpOnly: true, MaxAge: int(s.tokenExpire / time.Second)}) //nolint:gosec // exactly the re-implementation's cookie (not Secure, no SameSite)
}

// jwtMessage is the text the re-implementation's JWT library (dgrijalva/jwt-go)
// gives for a parse failure.
func jwtMessage(err error, c *rockClaims) string {
	switch {
	case errors.Is(err, jwt.ErrTokenExpired) && c.ExpiresAt != nil:
		return fmt.Sprintf("token is expired by %v", time.Since(c.ExpiresAt.Time).Truncate(time.Second))
	case errors.Is(err, jwt.ErrTokenMalformed):
		return "token contains an invalid number of segments"
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		return "signature is invalid"
	}
	return err.Error()
}

// rockAuth is the Auth middleware: the token cookie, else "Authorization:
// Bearer"; refusals are bare JSON strings.
func (s *Server) rockAuth(w http.ResponseWriter, r *http.Request) (*rockCaller, error) {
	tok := ""
	if c, err := r.Cookie("token"); err == nil {
		tok = c.Value
	}
	if tok == "" {
		h := r.Header.Get("Authorization")
		if !strings.HasPrefix(h, "Bearer ") {
			return nil, &rockError{401, "Permission denied, user doesn't login, please login first "}
		}
		tok = strings.TrimPrefix(h, "Bearer ")
	}
	var c rockClaims
	_, err := jwt.ParseWithClaims(tok, &c, func(*jwt.Token) (any, error) { return s.secret, nil }, jwt.WithValidMethods([]string{"HS256"}))
	if err != nil {
		return nil, &rockError{401, "Parse token failed , " + jwtMessage(err, &c)}
	}
	var stored string
	err = s.db.QueryRowContext(r.Context(), `SELECT token FROM users WHERE id = ? AND deleted_at IS NULL`, c.UserID).Scan(&stored)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, &rockError{404, "User token is not valid, please login later"}
	}
	if err != nil {
		return nil, err
	}
	if stored != tok {
		http.SetCookie(w, &http.Cookie{Name: "token", Value: "", Path: "/", HttpOnly: true, MaxAge: -1}) //nolint:gosec // clears the cookie as the re-implementation does
		return nil, &rockError{401, "User info is malformed, please login again"}
	}
	s.rockSetCookie(w, stored)
	return &rockCaller{ID: c.UserID, Name: c.Username, Role: c.Role}, nil
}

// rockHandler is the shape of every rock route handler.
type rockHandler func(w http.ResponseWriter, r *http.Request, c *rockCaller) (int, any, error)

// rockHandle registers an authenticated route; admin routes refuse callers
// that are neither admin nor system_tools_admin (the IsAdmin middleware).
func (s *Server) rockHandle(pattern string, admin bool, h rockHandler) {
	s.patterns = append(s.patterns, pattern)
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		c, err := s.rockAuth(w, r)
		if err == nil && admin && !c.isAdmin() {
			err = rockAdminRefusal
		}
		if err != nil {
			writeRock(w, s, r, 0, nil, err)
			return
		}
		status, v, err := h(w, r, c)
		writeRock(w, s, r, status, v, err)
	})
}

// rockLogin: POST /v1/auth/login {name, password}. The token goes only into
// the cookie; the answer is the user with its role.
func (s *Server) rockLogin(w http.ResponseWriter, r *http.Request) {
	in, err := rockLoginForm.bind(r)
	if err != nil {
		writeRock(w, s, r, 0, nil, err)
		return
	}
	status, v, err := s.rockDoLogin(w, r, str(in, "name"), str(in, "password"))
	writeRock(w, s, r, status, v, err)
}

var rockLoginForm = &rform{name: "LoginUserInfo", fields: []rfield{
	{json: "name", goName: "Name", required: true},
	{json: "password", goName: "Password", required: true},
}}

func (s *Server) rockDoLogin(w http.ResponseWriter, r *http.Request, name, password string) (int, any, error) {
	ctx := r.Context()
	u, ok, err := rockFind(ctx, s.db, "users", "name = ?", name)
	if err != nil {
		return 0, nil, err
	}
	if !ok {
		return 0, nil, rockNotFoundRecord // a gorm error, not a RockError
	}
	if !checkPassword(asString(u["password"]), password) {
		return 0, nil, rockErrorf(400, 40000003, "password incorrect")
	}
	role, err := s.rockRoleName(ctx, asInt64(u["role_id"]))
	if err != nil {
		return 0, nil, err
	}
	id := asInt64(u["id"])
	tok, err := s.rockToken(id, name, asString(u["password"]), role)
	if err != nil {
		return 0, nil, err
	}
	if tok == asString(u["token"]) {
		// The same token as stored: the server skips the update and then
		// reads the token of the record it did not load.
		return 0, nil, rockNilPointer
	}
	if err := rockUpdate(ctx, s.db, "users", id, map[string]any{"token": tok}); err != nil {
		return 0, nil, err
	}
	detail, err := s.rockUserDetail(ctx, id)
	if err != nil {
		return 0, nil, err
	}
	s.rockSetCookie(w, tok)
	return 200, detail, nil
}

func (s *Server) rockRoleName(ctx context.Context, roleID int64) (string, error) {
	var name string
	err := s.db.QueryRowContext(ctx, `SELECT name FROM roles WHERE id = ?`, roleID).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return name, err
}
