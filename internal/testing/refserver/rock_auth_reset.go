package refserver

import (
	"crypto/rand"
	"net/http"
	"time"
)

// The rock dialect's logout and password reset routes (auth.jsonl 25-30).

var (
	rockResetForm = &rform{name: "ResetUserReq", fields: []rfield{
		{json: "email", goName: "Email", required: true, email: true},
	}}
	rockResetPwdForm = &rform{name: "ResetPwdReq", fields: []rfield{
		{json: "secret", goName: "Secret", required: true},
		{json: "email", goName: "Email", required: true, email: true},
		{json: "password", goName: "Password", required: true},
		{json: "re_password", goName: "RePassword", required: true},
	}}
)

// rockSecretExpire is how long a reset secret stays valid (the
// re-implementation's email.secret-expire setting).
const rockSecretExpire = 30 * time.Minute

// rockClearCookie clears the token cookie (Max-Age=0).
func rockClearCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: "token", Value: "", Path: "/", HttpOnly: true, MaxAge: -1}) //nolint:gosec // exactly the re-implementation's cookie
}

// rockNoContent prepares gin's JSON(204, ""): the JSON content type and no
// body (writeJSON writes only the status of a 204).
func rockNoContent(w http.ResponseWriter) (int, any, error) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	return http.StatusNoContent, nil, nil
}

// POST /v1/auth/logout (authenticated): 204 with an empty body. The Auth
// middleware has already set the refreshed token cookie; logout then
// clears it, so the answer carries both Set-Cookie headers. The stored
// token is left alone: the token keeps working after a logout.
func (s *Server) rockLogout(w http.ResponseWriter, _ *http.Request, _ *rockCaller) (int, any, error) {
	rockClearCookie(w)
	return rockNoContent(w)
}

// POST /v1/auth/reset {email} (no authentication): an invalid e-mail is a
// validation failure (500 [{}]); an e-mail no live user has is gorm's
// "record not found" (500 {}). Otherwise the user gets a reset secret,
// which the re-implementation mails and this server logs; 204, and the
// token cookie is cleared.
func (s *Server) rockReset(w http.ResponseWriter, r *http.Request) {
	in, err := rockResetForm.bindJSON(r)
	if err == nil {
		err = s.rockDoReset(r, str(in, "email"))
	}
	if err != nil {
		writeRock(w, s, r, 0, nil, err)
		return
	}
	rockClearCookie(w)
	status, v, err := rockNoContent(w)
	writeRock(w, s, r, status, v, err)
}

func (s *Server) rockDoReset(r *http.Request, email string) error {
	ctx := r.Context()
	u, ok, err := rockFind(ctx, s.db, "users", "email = ?", email)
	if err != nil {
		return err
	}
	if !ok {
		return rockNotFoundRecord
	}
	secret := rockSecret()
	expires := time.Now().UTC().Add(rockSecretExpire).Format(rockTimeLayout)
	if err := rockUpdate(ctx, s.db, "users", asInt64(u["id"]), map[string]any{"reset_secret": secret, "secret_expired_at": expires}); err != nil {
		return err
	}
	s.log.Info("rock: would mail the password reset secret", "user", u["name"], "email", email, "secret", secret, "expires", expires)
	return nil
}

// rockSecret is a 16-character secret of letters and digits.
func rockSecret() string {
	const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// PUT /v1/auth/pwd {secret, email, password, re_password} (no
// authentication; bound by Content-Type): the two passwords must match
// (400 40000010), the e-mail must be a live user's (400 40000011 "Email
// <e-mail> not found"), the password strong; then the secret: none
// requested is a nil pointer (500), an expired one 400 40000012 (and is
// cleared), a wrong one 400 40000013. The user gets the new password and a
// new token; 200 with a string.
func (s *Server) rockResetPwd(w http.ResponseWriter, r *http.Request) {
	status, v, err := s.rockDoResetPwd(r)
	writeRock(w, s, r, status, v, err)
}

func (s *Server) rockDoResetPwd(r *http.Request) (int, any, error) {
	in, err := rockResetPwdForm.bind(r)
	if err != nil {
		return 0, nil, err
	}
	ctx := r.Context()
	email, pw := str(in, "email"), str(in, "password")
	if pw != str(in, "re_password") {
		return 0, nil, rockErrorf(400, 40000010, "Two input password is not the same")
	}
	u, ok, err := rockFind(ctx, s.db, "users", "email = ?", email)
	if err != nil {
		return 0, nil, err
	}
	if !ok {
		return 0, nil, rockErrorf(400, 40000011, "Email %v not found", email)
	}
	if err := rockCheckPassword(pw); err != nil {
		return 0, nil, err
	}
	id := asInt64(u["id"])
	expires, ok := u["secret_expired_at"].(string)
	if !ok || expires == "" {
		return 0, nil, rockNilPointer
	}
	if t, err := time.Parse(rockTimeLayout, expires); err != nil || time.Now().UTC().After(t) {
		if err := rockUpdate(ctx, s.db, "users", id, map[string]any{"reset_secret": "", "secret_expired_at": nil}); err != nil {
			return 0, nil, err
		}
		return 0, nil, rockErrorf(400, 40000012, "Password reset secret had been expired, please resend email to get new one!")
	}
	if u["reset_secret"] != str(in, "secret") {
		return 0, nil, rockErrorf(400, 40000013, "Password reset secret is not correct")
	}
	hash, err := hashPassword(pw)
	if err != nil {
		return 0, nil, err
	}
	role, err := s.rockRoleName(ctx, asInt64(u["role_id"]))
	if err != nil {
		return 0, nil, err
	}
	tok, err := s.rockToken(id, asString(u["name"]), hash, role)
	if err != nil {
		return 0, nil, err
	}
	if err := rockUpdate(ctx, s.db, "users", id, map[string]any{"password": hash, "reset_secret": "", "secret_expired_at": nil, "token": tok}); err != nil {
		return 0, nil, err
	}
	return 200, "User " + asString(u["name"]) + " password reset successful", nil
}
