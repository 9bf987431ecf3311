package refserver

import "time"

// Internals that the external tests (package refserver_test) reach.

type RockClaims = rockClaims

const RockTimeLayout = rockTimeLayout

// RockTokenExpiring signs a rock-dialect token as a login does, with
// server.tokenExpire set to expire for that one token.
func (s *Server) RockTokenExpiring(expire time.Duration, id int64, name, hash, role string) (string, error) {
	saved := s.tokenExpire
	s.tokenExpire = expire
	defer func() { s.tokenExpire = saved }()
	return s.rockToken(id, name, hash, role)
}

// RockResetSecret is the password reset secret POST /v1/auth/reset gave the
// live user with this e-mail (the re-implementation mails it).
func (s *Server) RockResetSecret(email string) (string, error) {
	var secret string
	err := s.db.QueryRow(`SELECT reset_secret FROM users WHERE email = ? AND deleted_at IS NULL`, email).Scan(&secret)
	return secret, err
}

// RockExpireResetSecret makes that secret one that expired a minute ago.
func (s *Server) RockExpireResetSecret(email string) error {
	_, err := s.db.Exec(`UPDATE users SET secret_expired_at = ? WHERE email = ? AND deleted_at IS NULL`,
		time.Now().UTC().Add(-time.Minute).Format(rockTimeLayout), email)
	return err
}
