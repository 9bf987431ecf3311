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
