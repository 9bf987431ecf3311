package client

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// Error codes of the contract that callers may want to test for.
const (
	CodeTokenReplaced = 40100003 // the token was replaced by a newer login of its user
	CodeTokenRevoked  = 40100005 // the user's password changed
	CodeHelmFailure   = 50000006 // Helm failed during a deployment (evidenced)
)

// APIError is an answer of the server other than 2xx. Message is the
// server's "error", Code its "error_code" (0 if absent). Request bodies are
// never part of it.
type APIError struct {
	StatusCode int
	Code       int
	Message    string
	Method     string
	Path       string
	tokenOnly  bool // a 401 for a client that cannot log in again
}

func (e *APIError) Error() string {
	msg := fmt.Sprintf("galaxias: %s %s: %d %s", e.Method, e.Path, e.StatusCode, e.Message)
	if e.Code != 0 {
		msg += fmt.Sprintf(" (error_code %d)", e.Code)
	}
	if e.tokenOnly && e.Code != CodeTokenReplaced && !strings.Contains(e.Message, "replaced") {
		msg += "; the configured token is not accepted: it may have been replaced by a newer login of its user, or revoked"
	}
	return msg
}

// TransportError is a request that got no HTTP answer (connection refused,
// dropped, timed out). For a POST, whether the server processed it is unknown.
type TransportError struct {
	Method, Path string
	Err          error
}

func (e *TransportError) Error() string {
	return fmt.Sprintf("galaxias: %s %s: no answer: %v", e.Method, e.Path, e.Err)
}

func (e *TransportError) Unwrap() error { return e.Err }

// DeploymentFailedError is an asynchronous deployment that ended in failure.
type DeploymentFailedError struct {
	Deployment *Deployment
}

func (e *DeploymentFailedError) Error() string {
	d := e.Deployment
	return fmt.Sprintf("galaxias: deployment %d (%s %s, release %s) failed: %s", d.ID, d.ChartName, d.ChartVersion, d.Name, d.Message)
}

func statusOf(err error) int {
	var ae *APIError
	if errors.As(err, &ae) {
		return ae.StatusCode
	}
	return 0
}

// CodeOf returns the error_code of an *APIError in err's chain, or 0.
func CodeOf(err error) int {
	var ae *APIError
	if errors.As(err, &ae) {
		return ae.Code
	}
	return 0
}

// IsNotFound reports a 404 answer.
func IsNotFound(err error) bool { return statusOf(err) == http.StatusNotFound }

// IsConflict reports a 409 answer (duplicate name, or still in use).
func IsConflict(err error) bool { return statusOf(err) == http.StatusConflict }

// IsUnauthorized reports a 401 answer.
func IsUnauthorized(err error) bool { return statusOf(err) == http.StatusUnauthorized }

// IsForbidden reports a 403 answer (the user's role may not do this).
func IsForbidden(err error) bool { return statusOf(err) == http.StatusForbidden }

// IsBadRequest reports a 400 answer.
func IsBadRequest(err error) bool { return statusOf(err) == http.StatusBadRequest }

// IsTokenReplaced reports a token refused because its user logged in again.
func IsTokenReplaced(err error) bool { return CodeOf(err) == CodeTokenReplaced }

// IsDeploymentFailed reports a deployment that failed: Helm's 500 with
// 50000006, or an asynchronous deployment that ended in failure.
func IsDeploymentFailed(err error) bool {
	var df *DeploymentFailedError
	return CodeOf(err) == CodeHelmFailure || errors.As(err, &df)
}
