package client

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"
)

// Error codes the client recognises; the exported ones are also read by the
// resources.
const (
	codeTokenReplaced = 40100003 // the token was replaced by a newer login of its user
	codeTokenRevoked  = 40100005 // the user's password changed
	codeHelmFailure   = 50000006 // Helm failed during a deployment (evidenced)

	// codeRockValidation is the re-implementation's answer to anything its
	// handlers panic on: binding and validation failures, a missing list
	// parameter, the login race. Seven digits, answered with status 500.
	codeRockValidation = 5000001
	// CodeRockConfigDependence refuses deleting a project-env that still
	// has app configs (status 412, the re-implementation).
	CodeRockConfigDependence = 41200008
)

// rockDuplicateCodes are the re-implementation's 400 codes for "already
// exists" (user e-mail, cluster, env, app, project, project-env).
var rockDuplicateCodes = map[int]bool{
	40000009: true, 40000015: true, 40000017: true, 40000018: true, 40000020: true, 40000022: true,
}

// duplicateMessage recognises "already exists" in a 400's message, whatever
// its code (the re-implementation's user duplicate is 40000001, which is
// also the contract's "bad JSON").
var duplicateMessage = regexp.MustCompile(`(?i)\b(already exists?|alerady exists?|was registered|already registered)\b`)

// rockNotFoundMessage recognises the re-implementation's "not found" answered
// as 400 (users by id or name).
var rockNotFoundMessage = regexp.MustCompile(`(?i)\b(was not found|is not found|not found)\b`)

// APIError is an answer of the server other than 2xx. Message is what the
// server said (never empty: without a message, it says so), Code its
// "error_code" (0 if absent). Request bodies are never part of it.
type APIError struct {
	StatusCode int
	Code       int
	Message    string
	Method     string
	Path       string
	tokenOnly  bool // a 401 for a client that cannot log in again
}

func (e *APIError) Error() string {
	msg := fmt.Sprintf("galaxias: %s %s: %d %s: %s", e.Method, e.Path, e.StatusCode, http.StatusText(e.StatusCode), e.Message)
	if http.StatusText(e.StatusCode) == "" {
		msg = fmt.Sprintf("galaxias: %s %s: HTTP %d: %s", e.Method, e.Path, e.StatusCode, e.Message)
	}
	if e.Code != 0 {
		msg += fmt.Sprintf(" (error_code %d)", e.Code)
	}
	if e.Code == codeRockValidation && e.StatusCode == http.StatusInternalServerError {
		msg += "; on the Galaxias re-implementation this is how a request that fails its input checks is answered"
	}
	if e.tokenOnly && e.Code != codeTokenReplaced && !strings.Contains(e.Message, "replaced") {
		msg += "; the configured token is not accepted: it may have expired, been replaced by a newer login of its user, or revoked"
	}
	return msg
}

// parseAPIError reads an error answer of any shape: {"error": "..."},
// {"error": [...]} or {"error": {...}}, no "error" at all, a bare JSON
// string, plain text or nothing.
func parseAPIError(status int, body []byte, method, path string) *APIError {
	ae := &APIError{StatusCode: status, Method: method, Path: path}
	trimmed := bytes.TrimSpace(body)
	var obj map[string]json.RawMessage
	var str string
	switch {
	case len(trimmed) > 0 && trimmed[0] == '{' && json.Unmarshal(trimmed, &obj) == nil:
		ae.Code = jsonInt(obj["error_code"])
		ae.Message = messageOf(obj["error"])
		if ae.Message == "" {
			ae.Message = messageOf(obj["message"])
		}
		if ae.Message == "" {
			ae.Message = "no message; the answer was " + clip(string(trimmed))
		}
	case len(trimmed) > 0 && trimmed[0] == '"' && json.Unmarshal(trimmed, &str) == nil:
		ae.Message = clip(strings.TrimSpace(str))
	default:
		ae.Message = clip(string(trimmed))
	}
	if ae.Message == "" {
		ae.Message = "the answer had an empty body"
	}
	return ae
}

// messageOf turns an "error" value into text: a string as is, anything else
// (an array like [{}], an object) as its JSON, unless it holds nothing.
func messageOf(v json.RawMessage) string {
	v = bytes.TrimSpace(v)
	if len(v) == 0 || bytes.Equal(v, []byte("null")) {
		return ""
	}
	var s string
	if json.Unmarshal(v, &s) == nil {
		return clip(strings.TrimSpace(s))
	}
	var list []json.RawMessage
	if json.Unmarshal(v, &list) == nil {
		var parts []string
		for _, item := range list {
			if m := messageOf(item); m != "" && !strings.HasPrefix(m, "no message") {
				parts = append(parts, m)
			}
		}
		if len(parts) == 0 {
			return "no message (error: " + clip(string(v)) + ")"
		}
		return clip(strings.Join(parts, "; "))
	}
	if bytes.Equal(v, []byte("{}")) {
		return "no message (error: {})"
	}
	return clip(string(v))
}

func jsonInt(v json.RawMessage) int {
	var f float64
	if json.Unmarshal(v, &f) != nil {
		var s string
		if json.Unmarshal(v, &s) != nil {
			return 0
		}
		if _, err := fmt.Sscan(s, &f); err != nil {
			return 0
		}
	}
	if f < -1e15 || f > 1e15 {
		return 0
	}
	return int(f)
}

func clip(s string) string {
	if len(s) > 300 {
		return s[:300] + "..."
	}
	return s
}

// transportError is a request that got no HTTP answer (connection refused,
// dropped, timed out). For a POST, whether the server processed it is unknown.
type transportError struct {
	Method, Path string
	Err          error
}

func (e *transportError) Error() string {
	return fmt.Sprintf("galaxias: %s %s: no answer: %v", e.Method, e.Path, e.Err)
}

func (e *transportError) Unwrap() error { return e.Err }

// DeploymentFailedError is an asynchronous deployment that ended in failure.
type DeploymentFailedError struct {
	Deployment *Deployment
}

func (e *DeploymentFailedError) Error() string {
	d := e.Deployment
	return fmt.Sprintf("galaxias: deployment %d (%s %s, release %s) failed: %s", d.ID, d.ChartName, d.ChartVersion, d.Name, d.Message)
}

// UnsupportedError is something this server cannot do, said before asking
// it (e.g. the re-implementation has no PUT /v1/users/{id}).
type UnsupportedError struct {
	What    string
	Dialect Dialect
	Hint    string
}

func (e *UnsupportedError) Error() string {
	msg := fmt.Sprintf("galaxias: %s is not possible on this server (api dialect %q)", e.What, e.Dialect)
	if e.Hint != "" {
		msg += ": " + e.Hint
	}
	return msg
}

// inUseError is a delete the client refused because the record is still
// used, on a server that would have deleted it anyway and left the records
// that use it orphaned (the re-implementation answers 204).
type inUseError struct {
	What, By string
}

func (e *inUseError) Error() string {
	return fmt.Sprintf("galaxias: not deleting %s: it still has %s (checked by the provider, because this server would delete it "+
		"and leave them orphaned); delete those first", e.What, e.By)
}

// loginError is a refused login. Its cause is the server's answer.
type loginError struct {
	Name string
	Err  error
	// noUser: the re-implementation's answer for a user it does not have
	// (unknown, or deleted).
	noUser bool
	// collisions: how many attempts collided with other logins of the same
	// user within one second, for wait.
	collisions int
	wait       time.Duration
}

func (e *loginError) Error() string {
	msg := fmt.Sprintf("galaxias: logging in as %q failed: %v", e.Name, e.Err)
	switch {
	case e.noUser:
		msg += fmt.Sprintf("; this server answers so for a user it does not have: %q does not exist or was deleted", e.Name)
	case e.collisions > 0:
		msg += fmt.Sprintf("; %d attempts collided with other logins of %q within the same second", e.collisions, e.Name)
		if e.wait > 0 {
			msg += fmt.Sprintf(" over %v", e.wait)
		}
		msg += " (this server takes one login of a user per second): too many sessions log in as this user; " +
			"give concurrent runs their own credentials (a token, or a dedicated user)"
	}
	return msg
}

func (e *loginError) Unwrap() error { return e.Err }

func statusOf(err error) int {
	var ae *APIError
	if errors.As(err, &ae) {
		return ae.StatusCode
	}
	return 0
}

func apiErr(err error) *APIError {
	var ae *APIError
	if errors.As(err, &ae) {
		return ae
	}
	return nil
}

// CodeOf returns the error_code of an *APIError in err's chain, or 0.
func CodeOf(err error) int {
	if ae := apiErr(err); ae != nil {
		return ae.Code
	}
	return 0
}

// IsNotFound reports a 404 answer, or the re-implementation's "not found"
// answered as 400.
func IsNotFound(err error) bool {
	ae := apiErr(err)
	if ae == nil {
		return false
	}
	return ae.StatusCode == http.StatusNotFound ||
		ae.StatusCode == http.StatusBadRequest && (ae.Code == 40000004 || ae.Code == 40000005) && rockNotFoundMessage.MatchString(ae.Message)
}

// IsDuplicate reports a create or rename refused because the name (or
// another unique key) is taken: 409 40900001/40900003 on the contract, 400
// with an "already exists" code or message on the re-implementation.
func IsDuplicate(err error) bool {
	ae := apiErr(err)
	if ae == nil {
		return false
	}
	switch ae.StatusCode {
	case http.StatusConflict:
		return ae.Code != 40900002
	case http.StatusBadRequest:
		return rockDuplicateCodes[ae.Code] || duplicateMessage.MatchString(ae.Message)
	}
	return false
}

// IsInUse reports a delete refused because other records still use the
// record: 409 40900002 on the contract, 412 on the re-implementation (a
// project-env with app configs, 41200008), or the client's own *inUseError.
func IsInUse(err error) bool {
	var iu *inUseError
	if errors.As(err, &iu) {
		return true
	}
	ae := apiErr(err)
	return ae != nil && (ae.StatusCode == http.StatusConflict && ae.Code == 40900002 || ae.StatusCode == http.StatusPreconditionFailed)
}

// IsConflict reports a duplicate or an in-use refusal, however the server
// answered it (409, 400 "already exists", 412).
func IsConflict(err error) bool {
	return IsDuplicate(err) || IsInUse(err) || statusOf(err) == http.StatusConflict
}

// IsUnauthorized reports a 401 answer (but not the re-implementation's role
// refusal, 401 40100001), or a refused login (the re-implementation answers
// a wrong password with 400).
func IsUnauthorized(err error) bool {
	if IsNotGalaxias(err) {
		return false // not a refusal: the login was not sent to a login route
	}
	var le *loginError
	if errors.As(err, &le) {
		if le.noUser {
			return true
		}
		s := statusOf(err)
		return s == http.StatusUnauthorized || s == http.StatusBadRequest || s == http.StatusForbidden || s == http.StatusNotFound
	}
	return statusOf(err) == http.StatusUnauthorized && !isRoleRefusal(err)
}

// roleRefusal is the re-implementation's 401 40100001 "Permission denied,
// only system_tools_admin or admin role can do this operation".
var roleRefusal = regexp.MustCompile(`(?i)permission denied.*\brole\b`)

func isRoleRefusal(err error) bool {
	ae := apiErr(err)
	return ae != nil && ae.StatusCode == http.StatusUnauthorized && ae.Code == 40100001 && roleRefusal.MatchString(ae.Message)
}

// IsUnsupported reports an *UnsupportedError.
func IsUnsupported(err error) bool {
	var ue *UnsupportedError
	return errors.As(err, &ue)
}

// IsTokenReplaced reports a token refused because its user logged in again.
func IsTokenReplaced(err error) bool { return CodeOf(err) == codeTokenReplaced }

// IsDeploymentFailed reports a deployment that failed: Helm's 500 with
// 50000006, or an asynchronous deployment that ended in failure.
func IsDeploymentFailed(err error) bool {
	var df *DeploymentFailedError
	return CodeOf(err) == codeHelmFailure || errors.As(err, &df)
}

// transientCodes are the error codes of a 500 that say "something went
// wrong inside", not "this request is wrong": worth another attempt.
var transientCodes = map[int]bool{
	50000001: true, // the contract's internal error
	50000002: true, // the re-implementation's database (MySQL) error
	50000099: true, // the reference server's injected fault, a stand-in for a transient failure
}

// PermanentAnswer is the retry rule of Galaxias answers, for
// httpx.Options.Permanent: it reports whether an answer the transport
// would retry (429, 5xx) is in fact the application's verdict on the
// request, which a retry would only repeat.
//
// The rule: a 500 whose body is a JSON object carrying a non-zero
// error_code was answered by the application on purpose — both servers
// answer that way for Helm failures, and the re-implementation for every
// validation failure, a missing list parameter and an unknown user
// (5000001) — so it is not retried; except the codes of an internal or
// database error (50000001, 50000002, and the reference server's injected
// 50000099), which may pass. Retried as before: a 500 without an
// error_code (a crash, a proxy's page, plain text), every 502, 503 and 504
// (gateways and overload, whatever their body; 503 honours Retry-After)
// and 429. POSTs keep the transport's stricter rule. The one transient 500
// with a code that is known — the re-implementation's login race — is
// handled by Login, which tries once more after a second.
func PermanentAnswer(status int, _ http.Header, body []byte) bool {
	if status != http.StatusInternalServerError {
		return false
	}
	var obj map[string]json.RawMessage
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 || trimmed[0] != '{' || json.Unmarshal(trimmed, &obj) != nil {
		return false
	}
	code := jsonInt(obj["error_code"])
	return code != 0 && !transientCodes[code]
}
