package refserver

// The rock dialect: the public re-implementation of the Galaxias backend
// (github.com/rockwang465/go.rock.com, rock-platform/rock/server; gin, gorm,
// MySQL) as it really answers, defects included. Every fact reproduced here
// is noted in docs/galaxias-api.md and in
// /work/shared/reference/galaxias-reimplementation.md; the tests in
// rock_test.go hold the server to each. Where the re-implementation needs
// Tiller or a cluster, Helm's template engine renders the chart instead.
//
// In short: times are "YYYY-MM-DD hh:mm:ss" (updated_at 8 hours ahead after
// an update), lists need page_num and page_size and answer {page_num,
// page_size, total, pages, items}, binding failures are 500 with the Go
// error value marshalled as "error", 401 bodies are bare JSON strings,
// deletes are soft, and there is no jti: two logins of a user within one
// second produce the same token, which the server dereferences into a nil
// pointer (500).

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/mail"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// rockMigrations is the rock dialect's schema (rock.db). Deleted rows keep
// their row with deleted_at set, as gorm's soft delete does.
var rockMigrations = []string{
	`CREATE TABLE roles (
		id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, description TEXT NOT NULL DEFAULT '',
		created_at TEXT NOT NULL, updated_at TEXT NOT NULL, deleted_at TEXT, version INTEGER NOT NULL DEFAULT 0);
	CREATE TABLE users (
		id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, password TEXT NOT NULL, email TEXT NOT NULL,
		role_id INTEGER NOT NULL, token TEXT NOT NULL DEFAULT '',
		created_at TEXT NOT NULL, updated_at TEXT NOT NULL, deleted_at TEXT, version INTEGER NOT NULL DEFAULT 0);
	CREATE TABLE projects (
		id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, description TEXT NOT NULL DEFAULT '',
		created_at TEXT NOT NULL, updated_at TEXT NOT NULL, deleted_at TEXT, version INTEGER NOT NULL DEFAULT 0);
	CREATE TABLE clusters (
		id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, description TEXT NOT NULL DEFAULT '',
		config TEXT NOT NULL DEFAULT '',
		created_at TEXT NOT NULL, updated_at TEXT NOT NULL, deleted_at TEXT, version INTEGER NOT NULL DEFAULT 0);
	CREATE TABLE envs (
		id INTEGER PRIMARY KEY AUTOINCREMENT, namespace TEXT NOT NULL, description TEXT NOT NULL DEFAULT '',
		cluster_id INTEGER NOT NULL,
		created_at TEXT NOT NULL, updated_at TEXT NOT NULL, deleted_at TEXT, version INTEGER NOT NULL DEFAULT 0);
	CREATE TABLE project_envs (
		id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, description TEXT NOT NULL DEFAULT '',
		env_id INTEGER NOT NULL, project_id INTEGER NOT NULL,
		created_at TEXT NOT NULL, updated_at TEXT NOT NULL, deleted_at TEXT, version INTEGER NOT NULL DEFAULT 0);
	CREATE TABLE apps (
		id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, full_name TEXT NOT NULL DEFAULT '',
		owner TEXT NOT NULL DEFAULT '', description TEXT NOT NULL DEFAULT '', gitlab_address TEXT NOT NULL DEFAULT '',
		project_id INTEGER NOT NULL, gitlab_project_id INTEGER NOT NULL DEFAULT 0, drone_repo_id INTEGER NOT NULL DEFAULT 0,
		created_at TEXT NOT NULL, updated_at TEXT NOT NULL, deleted_at TEXT, version INTEGER NOT NULL DEFAULT 0);
	CREATE TABLE app_confs (
		id INTEGER PRIMARY KEY AUTOINCREMENT, app_id INTEGER NOT NULL, project_env_id INTEGER NOT NULL,
		config TEXT NOT NULL DEFAULT '',
		created_at TEXT NOT NULL, updated_at TEXT NOT NULL, deleted_at TEXT, version INTEGER NOT NULL DEFAULT 0);
	CREATE TABLE deployments (
		id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, description TEXT NOT NULL DEFAULT '',
		chart_name TEXT NOT NULL, chart_version TEXT NOT NULL, app_id INTEGER NOT NULL, env_id INTEGER NOT NULL,
		created_at TEXT NOT NULL, updated_at TEXT NOT NULL, deleted_at TEXT, version INTEGER NOT NULL DEFAULT 0);
	CREATE TABLE instances (
		id INTEGER PRIMARY KEY AUTOINCREMENT, cluster_name TEXT NOT NULL, env_namespace TEXT NOT NULL,
		project_name TEXT NOT NULL, name TEXT NOT NULL, chart_name TEXT NOT NULL, chart_version TEXT NOT NULL,
		last_deployment INTEGER NOT NULL, app_id INTEGER NOT NULL, env_id INTEGER NOT NULL,
		created_at TEXT NOT NULL, updated_at TEXT NOT NULL, deleted_at TEXT, version INTEGER NOT NULL DEFAULT 0);`,
}

// rockRoles are the re-implementation's role rows, by id.
var rockRoles = []struct{ name, description string }{
	{RoleAdmin, "administrator role of system"},
	{RoleSystemToolsAdmin, "system tools' administrator"},
	{RoleDeveloper, "developer role"},
	{RoleDeployer, "deployer role"},
}

// rockTimeLayout is the re-implementation's time format (no offset).
const rockTimeLayout = "2006-01-02 15:04:05"

// rockShift is how far updated_at jumps after an update: the server writes
// its Asia/Shanghai wall clock into a column that was read as UTC.
const rockShift = 8 * time.Hour

func rockNow() string     { return time.Now().UTC().Format(rockTimeLayout) }
func rockShifted() string { return time.Now().UTC().Add(rockShift).Format(rockTimeLayout) }

// rockInit creates the role rows and the admin user when they are absent.
func (s *Server) rockInit(ctx context.Context, adminName, adminPassword string) error {
	for i, r := range rockRoles {
		var n int
		if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM roles WHERE id = ?`, i+1).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			t := rockNow()
			if _, err := s.db.ExecContext(ctx, `INSERT INTO roles (id, name, description, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`,
				i+1, r.name, r.description, t, t); err != nil {
				return err
			}
		}
	}
	if adminName == "" {
		return nil
	}
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE name = ? AND deleted_at IS NULL`, adminName).Scan(&n); err != nil || n > 0 {
		return err
	}
	if adminPassword == "" {
		return errors.New("refserver: an admin password is required to create the admin user")
	}
	hash, err := hashPassword(adminPassword)
	if err != nil {
		return err
	}
	_, err = rockInsert(ctx, s.db, "users", map[string]any{"name": adminName, "password": hash, "email": adminName + "@example.com", "role_id": 1})
	return err
}

// ---- errors ---------------------------------------------------------------

// rockError is an answer of the re-implementation's error handler: a status
// and whatever body it writes (an object, or a bare string for 401s).
type rockError struct {
	status int
	body   any
}

func (e *rockError) Error() string {
	b, _ := json.Marshal(e.body)
	return fmt.Sprintf("%d %s", e.status, b)
}

// rockErrorf is a RockError: {"error": msg, "error_code": code}.
func rockErrorf(status, code int, format string, args ...any) error {
	return &rockError{status, map[string]any{"error": fmt.Sprintf(format, args...), "error_code": code}}
}

// rockPanic is what the error handler answers for any other panicked value:
// the value itself, marshalled by encoding/json (a validator error is a list
// of empty objects, a plain Go error is {}), with the code 5000001.
func rockPanic(v any) error {
	return &rockError{500, map[string]any{"error": v, "error_code": 5000001, "switch": "default"}}
}

// rockNilPointer is the runtime error of a nil pointer dereference, as the
// error handler answers it (a runtime error string marshals as its text).
var rockNilPointer = rockPanic("invalid memory address or nil pointer dereference")

// rockNotFoundRecord is gorm's "record not found" error as the error handler
// answers it when it reaches it unwrapped (errors.New marshals as {}).
var rockNotFoundRecord = rockPanic(struct{}{})

// rockAdminRefusal is the answer of the IsAdmin middleware.
var rockAdminRefusal = rockErrorf(401, 40100001, "Permission denied, only system_tools_admin or admin role can do this operation")

func writeRock(w http.ResponseWriter, s *Server, r *http.Request, status int, v any, err error) {
	if err == nil {
		writeJSON(w, status, v)
		return
	}
	var re *rockError
	var ae *apiError
	switch {
	case errors.As(err, &re):
		writeJSON(w, re.status, re.body)
	case errors.As(err, &ae): // the test-only routes keep the contract's errors
		s.writeError(w, r, err)
	default:
		s.log.Error("internal error", "method", r.Method, "path", r.URL.Path, "err", err)
		writeJSON(w, 500, map[string]any{"error": fmt.Sprintf("Mysql Error: %v", err), "error_code": 50000002})
	}
}

// ---- binding (gin's ShouldBind with go-playground's validator) -------------

// rfield is one field of a request struct of the re-implementation.
type rfield struct {
	json, goName string
	isInt        bool
	required     bool
	omitempty    bool  // validate only when non-zero
	min          int64 // integers: smallest value (0: none)
	max          int   // strings: longest length (0: none)
	email        bool
}

// rform is a request struct: its Go name (for the errors) and fields in
// declaration order (the validator reports failures in that order).
type rform struct {
	name   string
	fields []rfield
	// wrap: the handler panics with "context bind failed, " + err.Error()
	// instead of the error value (the user routes do).
	wrap bool
}

// rockStructs caches the struct type of each form (name -> reflect.Type).
var rockStructs sync.Map

func (f *rform) structType() reflect.Type {
	if t, ok := rockStructs.Load(f.name); ok {
		return t.(reflect.Type)
	}
	var fs []reflect.StructField
	for _, x := range f.fields {
		typ := reflect.TypeFor[string]()
		if x.isInt {
			typ = reflect.TypeFor[int64]()
		}
		fs = append(fs, reflect.StructField{Name: x.goName, Type: typ, Tag: reflect.StructTag(`json:"` + x.json + `"`)})
	}
	t := reflect.StructOf(fs)
	rockStructs.Store(f.name, t)
	return t
}

// fail turns a binding error into the error handler's answer.
func (f *rform) fail(err error) error {
	var ute *json.UnmarshalTypeError
	if errors.As(err, &ute) {
		ute.Struct = f.name
	}
	if f.wrap {
		return rockPanic("context bind failed, " + err.Error())
	}
	return rockPanic(err)
}

// validationErrors is go-playground's ValidationErrors: a list of field
// errors whose JSON form is a list of empty objects.
type validationErrors struct {
	form *rform
	errs []struct{ field, tag string }
}

func (v *validationErrors) Error() string {
	var lines []string
	for _, e := range v.errs {
		lines = append(lines, fmt.Sprintf("Key: '%s.%s' Error:Field validation for '%s' failed on the '%s' tag", v.form.name, e.field, e.field, e.tag))
	}
	return strings.Join(lines, "\n")
}

func (v *validationErrors) MarshalJSON() ([]byte, error) {
	return json.Marshal(make([]struct{}, len(v.errs)))
}

var emailRE = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)

// validate applies the binding rules to the decoded struct and returns its
// fields by JSON name.
func (f *rform) validate(v reflect.Value) (map[string]any, *validationErrors) {
	out := map[string]any{}
	verr := &validationErrors{form: f}
	for i, x := range f.fields {
		fv := v.Field(i)
		out[x.json] = fv.Interface()
		zero := fv.IsZero()
		tag := ""
		switch {
		case zero && x.required:
			tag = "required"
		case zero && x.omitempty:
		case x.isInt && x.min > 0 && fv.Int() < x.min:
			tag = "min"
		case !x.isInt && x.max > 0 && len(fv.String()) > x.max:
			tag = "max"
		case x.email && !validEmail(fv.String()):
			tag = "email"
		}
		if tag != "" {
			verr.errs = append(verr.errs, struct{ field, tag string }{x.goName, tag})
		}
	}
	if len(verr.errs) > 0 {
		return nil, verr
	}
	return out, nil
}

func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && emailRE.MatchString(s)
}

// bindJSON is ShouldBindJSON: decode the body into the struct, then validate.
func (f *rform) bindJSON(r *http.Request) (map[string]any, error) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, f.fail(err)
	}
	v := reflect.New(f.structType())
	if err := json.NewDecoder(bytes.NewReader(body)).Decode(v.Interface()); err != nil {
		return nil, f.fail(err)
	}
	return f.checked(v.Elem())
}

// bindValues is ShouldBind for a query or ShouldBindUri: strings are taken
// as they are, integers parsed (an empty one is 0).
func (f *rform) bindValues(get func(string) string) (map[string]any, error) {
	v := reflect.New(f.structType()).Elem()
	for i, x := range f.fields {
		raw := get(x.json)
		if !x.isInt {
			v.Field(i).SetString(raw)
			continue
		}
		if raw == "" {
			continue
		}
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			return nil, f.fail(err)
		}
		v.Field(i).SetInt(n)
	}
	return f.checked(v)
}

func (f *rform) checked(v reflect.Value) (map[string]any, error) {
	out, verr := f.validate(v)
	if verr != nil {
		return nil, f.fail(verr)
	}
	return out, nil
}

func (f *rform) bindQuery(r *http.Request) (map[string]any, error) {
	return f.bindValues(r.URL.Query().Get)
}

func (f *rform) bindURI(r *http.Request) (map[string]any, error) { return f.bindValues(r.PathValue) }

func str(m map[string]any, k string) string { s, _ := m[k].(string); return s }
func num(m map[string]any, k string) int64  { n, _ := m[k].(int64); return n }

// The request structs of the re-implementation that several routes share.
var (
	rockIDForm   = &rform{name: "IdReq", fields: []rfield{{json: "id", goName: "Id", isInt: true, required: true, min: 1}}}
	rockPageForm = &rform{name: "GetPaginationReq", fields: []rfield{
		{json: "page_size", goName: "PageSize", isInt: true, required: true, min: 1},
		{json: "page_num", goName: "PageNum", isInt: true, required: true, min: 1},
		{json: "query_field", goName: "QueryField"},
	}}
)

// ---- authentication ---------------------------------------------------------

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
	in, err := rockLoginForm.bindJSON(r)
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

// ---- storage helpers ----------------------------------------------------------

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
	rkUser       = rockKind{"users", 400, 40000005, "User with id(%v) was not found"}
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
	shapeInstance   = []string{"id", "cluster_name", "env_namespace", "project_name", "name", "chart_name", "chart_version", "created_at", "updated_at", "version", "last_deployment"}
	shapeInstanceID = append(append([]string(nil), shapeInstance...), "app_id", "env_id")
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

// ---- routes ---------------------------------------------------------------------

func (s *Server) rockRoutes() {
	s.mux = http.NewServeMux()
	s.mux.HandleFunc("GET /health", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = io.WriteString(w, "ok")
	})
	s.mux.HandleFunc("POST /v1/auth/login", s.rockLogin)

	s.rockHandle("POST /v1/users", true, s.rockCreateUser)
	// users by name descending, the rest by updated_at descending
	s.rockHandle("GET /v1/users", true, s.rockList(rockUserPageForm, "users", "name LIKE ?", "name DESC", shapeUser, true))
	s.rockHandle("GET /v1/users/{id}", false, s.rockGetUser)
	s.rockHandle("DELETE /v1/users/{id}", true, s.rockDeleteUser)
	s.rockHandle("PUT /v1/users/{id}/password", false, s.rockSetPassword)
	s.rockHandle("PUT /v1/users/{id}/roles", true, s.rockSetRole)
	s.rockHandle("GET /v1/roles", true, s.rockList(rockPageForm, "roles", "name LIKE ?", "id", shapeBrief, true))
	s.rockHandle("GET /v1/roles/{id}", true, s.rockGet(rkRole, shapeBrief))

	s.rockHandle("POST /v1/projects", true, s.rockCreateProject)
	s.rockHandle("GET /v1/projects", false, s.rockList(rockPageForm, "projects", "name LIKE ?", "updated_at DESC", shapeProject, true))
	s.rockHandle("GET /v1/projects/{id}", false, s.rockGet(rkProject, shapeProject))
	s.rockHandle("PUT /v1/projects/{id}", true, s.rockDescribe(rkProject, shapeProject, "UpdateProjectReq"))
	s.rockHandle("DELETE /v1/projects/{id}", true, s.rockDelete(rkProject))
	s.rockHandle("GET /v1/projects/{id}/apps", false, s.rockProjectApps)
	s.rockHandle("POST /v1/projects/{id}/project-envs", true, s.rockCreateProjectEnv)
	s.rockHandle("GET /v1/projects/{id}/project-envs", false, s.rockListProjectEnvs)
	s.rockHandle("GET /v1/projects/{id}/project-envs/{pe_id}", false, s.rockProjectEnv(s.rockGetProjectEnv))
	s.rockHandle("PUT /v1/projects/{id}/project-envs/{pe_id}", true, s.rockProjectEnv(s.rockUpdateProjectEnv))
	s.rockHandle("DELETE /v1/projects/{id}/project-envs/{pe_id}", true, s.rockProjectEnv(s.rockDeleteProjectEnv))

	s.rockHandle("POST /v1/clusters", true, s.rockCreateCluster)
	s.rockHandle("GET /v1/clusters", false, s.rockList(rockPageForm, "clusters", "name LIKE ?", "updated_at DESC", shapeCluster, true))
	s.rockHandle("GET /v1/clusters/{id}", false, s.rockGet(rkCluster, shapeCluster))
	s.rockHandle("PUT /v1/clusters/{id}", true, s.rockUpdateCluster)
	s.rockHandle("DELETE /v1/clusters/{id}", true, s.rockDelete(rkCluster))
	s.rockHandle("GET /v1/clusters/{id}/envs", false, s.rockClusterEnvs)

	s.rockHandle("POST /v1/envs", false, s.rockCreateEnv)
	s.rockHandle("GET /v1/envs", false, s.rockList(rockPageForm, "envs", "1 = 1", "updated_at DESC", shapeEnv, false)) // no search, no filter
	s.rockHandle("GET /v1/envs/{id}", false, s.rockGet(rkEnv, shapeEnv))
	s.rockHandle("PUT /v1/envs/{id}", false, s.rockDescribe(rkEnv, shapeEnv, "UpdateEnvReq"))
	s.rockHandle("DELETE /v1/envs/{id}", false, s.rockDelete(rkEnv))

	s.rockHandle("POST /v1/apps", false, s.rockCreateApp)
	s.rockHandle("GET /v1/apps", false, s.rockListApps)
	s.rockHandle("GET /v1/apps/{id}", false, s.rockGet(rkApp, shapeApp))
	s.rockHandle("PUT /v1/apps/{id}", false, s.rockUpdateApp)
	s.rockHandle("DELETE /v1/apps/{id}", false, s.rockDelete(rkApp))
	s.rockHandle("GET /v1/apps/{id}/charts", false, s.rockAppCharts)
	s.rockHandle("GET /v1/apps/{id}/instances", false, s.rockAppInstances)
	s.rockHandle("GET /v1/apps/{id}/config", false, s.rockGetConfig)
	s.rockHandle("PUT /v1/apps/{id}/config", false, s.rockPutConfig)
	s.rockHandle("DELETE /v1/apps/{id}/config", false, s.rockDeleteConfig)

	s.rockHandle("GET /v1/charts", false, s.rockAllCharts)
	s.rockHandle("GET /v1/charts/{name}", false, s.rockChartVersions)
	s.rockHandle("GET /v1/charts/{name}/versions/{version}", false, s.rockChartVersion)
	s.rockHandle("DELETE /v1/charts/{name}/versions/{version}", false, s.rockDeleteChartVersion)

	s.rockHandle("POST /v1/deployments", false, s.rockCreateDeployment)
	s.rockHandle("GET /v1/deployments", false, s.rockList(rockPageForm, "deployments", "1 = 1", "updated_at DESC", shapeDeployment, false)) // every filter ignored
	s.rockHandle("GET /v1/deployments/{id}", false, s.rockGet(rkDeployment, shapeDeployment))
	s.rockHandle("PUT /v1/deployments/{id}", false, s.rockUpdateDeployment)
	s.rockHandle("DELETE /v1/deployments/{id}", false, s.rockDelete(rkDeployment))

	s.rockHandle("GET /v1/instances", false, s.rockListInstances)
	s.rockHandle("GET /v1/instances/{id}", false, s.rockGet(rkInstance, shapeInstanceID))
	s.rockHandle("DELETE /v1/instances/{id}", false, s.rockDelete(rkInstance))

	// Test-only switches (faults), as in the contract dialect.
	s.rockHandle("GET /v1/_test/config", true, func(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
		return s.getTestConfig(r, nil)
	})
	s.rockHandle("PUT /v1/_test/config", true, func(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
		return s.putTestConfig(r, nil)
	})
	s.rockHandle("GET /v1/_test/requests", true, func(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
		return s.getRequests(r, nil)
	})
	// What an instance was last rendered from: a cluster's `helm get values`
	// and `helm get manifest`, which the reference server has no cluster for.
	s.rockHandle("GET /v1/_test/instances/{id}/release", true, func(_ http.ResponseWriter, r *http.Request, _ *rockCaller) (int, any, error) {
		return s.getRelease(r, nil)
	})

	// Anything else: gin's plain-text 404, after the Auth middleware (which
	// also runs for unknown routes).
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if _, err := s.rockAuth(w, r); err != nil && r.URL.Path != "/health" && r.URL.Path != "/v1/auth/login" {
			writeRock(w, s, r, 0, nil, err)
			return
		}
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusNotFound)
		_, _ = io.WriteString(w, "404 page not found")
	})
}
