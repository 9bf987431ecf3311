package client

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"time"
)

// Logging in. Every login issues a new token for its user and invalidates
// the previous one, on both servers: two sessions of one user (two
// Terraform runs, a run and a person) log each other out. The public
// re-implementation adds a race of its own: its token is a function of the
// user and the second, and a second login of the same user within the same
// second (also within the second of the user's creation) is answered 500
// "invalid memory address or nil pointer dereference". The client retries
// that collision after random pauses until it succeeds or LoginRaceTimeout
// has passed, and a request whose token another session replaced logs in
// again (maxRelogins times at most).

// maxRelogins is how many times one request logs in again because another
// session of the same user replaced its token.
const maxRelogins = 5

func (c *Client) loginLocked(ctx context.Context) error {
	if !c.canLogin() {
		return errors.New("galaxias: no username and password configured to log in with")
	}
	res, err := c.LoginAs(ctx, c.username, c.password)
	if err != nil {
		return err
	}
	c.setToken(res.Token)
	return nil
}

// LoginAs logs in as another user and returns that user's new token, which
// replaces (invalidates) that user's previous token. The client's own
// credentials are not changed. The token is read from the body or, as both
// the platform and the re-implementation answer, from the token cookie. A
// login that collided with another login of the same user within one
// second is tried again after a random pause, until LoginRaceTimeout.
func (c *Client) LoginAs(ctx context.Context, name, password string) (*LoginResult, error) {
	deadline := c.now().Add(c.loginWait)
	collisions := 0
	for {
		res, err := c.loginOnce(ctx, name, password)
		if !isLoginRace(err) {
			if err != nil && apiErr(err) != nil && !IsNotGalaxias(err) {
				return nil, &loginError{Name: name, Err: err, noUser: isRockNoRecord(err)}
			}
			return res, err
		}
		collisions++
		pause := c.loginPause/10 + rand.N(c.loginPause) //nolint:gosec // jitter, not a secret
		if c.now().Add(pause).After(deadline) {
			return nil, &loginError{Name: name, Err: err, collisions: collisions, wait: c.loginWait}
		}
		t := time.NewTimer(pause)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, &loginError{Name: name, Err: err, collisions: collisions}
		case <-t.C:
		}
	}
}

func (c *Client) loginOnce(ctx context.Context, name, password string) (*LoginResult, error) {
	var res LoginResult
	const path = "/v1/auth/login"
	hdr, err := c.exchange(ctx, call{method: "POST", path: path, body: map[string]string{"name": name, "password": password}}, "", &res)
	if routeMissing(err) || err != nil && apiErr(err) == nil && strings.Contains(err.Error(), "decoding the answer") {
		return nil, &notGalaxiasError{URL: c.base + path, Err: err}
	}
	if noLoginRoute(err) {
		return nil, &notGalaxiasError{URL: c.base + path, Err: err, authFirst: true}
	}
	if err != nil {
		return nil, err
	}
	if res.Token == "" { // the platform itself only sets the cookie
		for _, line := range hdr.Values("Set-Cookie") {
			if ck, err := http.ParseSetCookie(line); err == nil && ck.Name == "token" && ck.Value != "" {
				res.Token = ck.Value
			}
		}
	}
	if res.Token == "" {
		return nil, fmt.Errorf("galaxias: the login of %q answered no token (neither in the body nor as the token cookie)", name)
	}
	c.learnFromUser(&res.User, "the login answer")
	if err := c.normalizeUser(ctx, &res.User); err != nil {
		return nil, err
	}
	return &res, nil
}

// isLoginRace reports the re-implementation's answer to a second login of
// one user within one second.
func isLoginRace(err error) bool {
	ae := apiErr(err)
	return ae != nil && ae.StatusCode == http.StatusInternalServerError && strings.Contains(ae.Message, "nil pointer dereference")
}

// isRockNoRecord reports the re-implementation's answer for a record its
// database does not have (gorm's "record not found", marshalled as {}):
// at login, an unknown or deleted user.
func isRockNoRecord(err error) bool {
	ae := apiErr(err)
	return ae != nil && ae.StatusCode == http.StatusInternalServerError && ae.Code == codeRockValidation &&
		strings.Contains(ae.Message, "(error: {})")
}

// tokenReplaced reports a 401 for a token that a newer login of its user
// replaced: the contract's 40100003, the re-implementation's "User info is
// malformed, please login again".
func tokenReplaced(err error) bool {
	ae := apiErr(err)
	return ae != nil && ae.StatusCode == http.StatusUnauthorized &&
		(ae.Code == codeTokenReplaced || strings.Contains(ae.Message, "User info is malformed"))
}

// retryUnauthorized tells whether a request refused with err logs in again
// and is repeated: after any 401 once; after a token that another session
// of the same user replaced, up to maxRelogins times.
func (c *Client) retryUnauthorized(err error, relogins int) bool {
	if !IsUnauthorized(err) || !c.canLogin() {
		return false
	}
	return relogins == 0 || tokenReplaced(err) && relogins < maxRelogins
}

// reloginPause waits before the relogins-th new login of one request: not
// before the first, then a random pause that grows with each, so that
// sessions that keep replacing each other's token fall out of step (a
// request gets through when no other session logs in between its login
// and its request).
func (c *Client) reloginPause(ctx context.Context, relogins int) error {
	if relogins == 0 {
		return nil
	}
	t := time.NewTimer(rand.N(c.loginPause * time.Duration(relogins))) //nolint:gosec // jitter, not a secret
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// sessionsError is a request that kept being refused because other
// sessions of the same user logged in meanwhile.
type sessionsError struct {
	Name string
	Err  error
}

func (e *sessionsError) Error() string {
	return fmt.Sprintf("%v; the provider logged in again as %q and repeated the request, but another session of that "+
		"user logged in each time: each login replaces the user's token. Give each concurrent run its own "+
		"credentials: a token, or a dedicated user", e.Err, e.Name)
}

func (e *sessionsError) Unwrap() error { return e.Err }

// IsLoggedOutByOtherSessions reports a request that kept being refused
// because other sessions of the same user logged in meanwhile.
func IsLoggedOutByOtherSessions(err error) bool {
	var se *sessionsError
	return errors.As(err, &se)
}

// notGalaxiasError is a login answered as no Galaxias API answers it: a
// 404 or 405 without an error code (a web server's "404 page not found"),
// a success that is not JSON, or (authFirst) the re-implementation's
// refusal of an unauthenticated request, which it answers for any path it
// has no public route for.
type notGalaxiasError struct {
	URL       string
	Err       error
	authFirst bool
}

func (e *notGalaxiasError) Error() string {
	what := "does not look like a Galaxias API"
	if e.authFirst {
		what = "is not the login route of a Galaxias API (the server asks for a login, as the Galaxias " +
			"re-implementation answers a path it has no such route for: is the endpoint's path right?)"
	}
	return fmt.Sprintf("galaxias: %s %s: the login route answered %v. "+
		"Check the endpoint: it must be the base URL of the Galaxias API (e.g. http://galaxias.example.com:8888), "+
		"whose POST /v1/auth/login logs in", e.URL, what, e.Err)
}

// noLoginRoute reports the re-implementation's answer to an unauthenticated
// request for a path that is not public (auth 21): at a login, the login
// route is not where the client sent it.
func noLoginRoute(err error) bool {
	ae := apiErr(err)
	return ae != nil && ae.StatusCode == http.StatusUnauthorized && strings.Contains(ae.Message, "doesn't login, please login first")
}

func (e *notGalaxiasError) Unwrap() error { return e.Err }

// IsNotGalaxias reports that the server does not answer like a Galaxias API
// (the login route is missing, or its answer is not JSON).
func IsNotGalaxias(err error) bool {
	var ng *notGalaxiasError
	return errors.As(err, &ng)
}
