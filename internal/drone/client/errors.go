package client

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/galaxias/terraform-provider-galaxias/internal/httpx"
)

// APIError is an HTTP error answer (status 300 and above).
type APIError struct {
	Method, Path string
	Status       int
	Message      string
}

func (e *APIError) Error() string {
	if e.Method == "" {
		return fmt.Sprintf("drone answered %d %s: %s", e.Status, http.StatusText(e.Status), e.Message)
	}
	return fmt.Sprintf("drone answered %d %s to %s %s: %s", e.Status, http.StatusText(e.Status), e.Method, e.Path, e.Message)
}

// unexpectedAnswerError is a 2xx answer whose body is not the JSON the API
// returns: the server has no such endpoint (Drone 0.8 answers every unknown
// route with its HTML index page and status 200), or something in between
// (a proxy, a login page) answered for it. The request did nothing.
type unexpectedAnswerError struct {
	Server       string // e.g. "Drone 0.8.9"
	Method, Path string
	Status       int
	ContentType  string
	Why          string // e.g. "an HTML page"
}

func (e *unexpectedAnswerError) Error() string {
	ct := e.ContentType
	if ct == "" {
		ct = "no content type"
	}
	return fmt.Sprintf("%s answered %s %s with %d (%s) and %s, not the JSON of the Drone API: this server has no "+
		"such endpoint, or a proxy answered in its place. Nothing was changed by this request",
		e.Server, e.Method, e.Path, e.Status, ct, e.Why)
}

// missingFieldError is an answer that lacks the field identifying the
// object: the server speaks another dialect than the one in use.
type missingFieldError struct {
	Server       string
	Method, Path string
	Field        string
}

func (e *missingFieldError) Error() string {
	return fmt.Sprintf("%s answered %s %s without %q, the field that identifies the object: this server speaks "+
		"another Drone API dialect than the provider expects. Check the provider's api_version (or "+
		"DRONE_API_VERSION): \"auto\" detects it, \"0.8\" is for Drone 0.8, \"1\" for Drone 1.x and 2.x",
		e.Server, e.Method, e.Path, e.Field)
}

// UnsupportedError says that the server has no API for something.
type UnsupportedError struct {
	Server string // e.g. "Drone 0.8.9"
	What   string // e.g. "cron API"
	Needs  string // e.g. "Drone ≥ 1.0"
	Cause  error  // the answer that showed it, if any
}

func (e *UnsupportedError) Error() string {
	msg := fmt.Sprintf("%s has no %s; it needs %s", e.Server, e.What, e.Needs)
	if e.Cause != nil {
		msg = e.Cause.Error() + "\n\n" + msg
	}
	return msg
}

func (e *UnsupportedError) Unwrap() error { return e.Cause }

// status returns the HTTP status of an *APIError in err's chain, 0 otherwise.
func status(err error) int {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return apiErr.Status
	}
	return 0
}

// IsNotFound reports whether err is a 404.
func IsNotFound(err error) bool { return status(err) == http.StatusNotFound }

// lostAnswerError is a failure of the exchange itself, after the request
// was handed to the transport: a dropped or reset connection, a timeout or
// an interrupt (context deadline or cancel) while waiting, a body cut short
// (io.ErrUnexpectedEOF). The request may have reached the server, and its
// answer is lost. Only Client.send makes one; its message is its cause's.
type lostAnswerError struct{ err error }

func (e *lostAnswerError) Error() string { return e.err.Error() }
func (e *lostAnswerError) Unwrap() error { return e.err }

// OutcomeUnknown reports whether err, the error of a request, leaves open
// whether Drone processed it (httpx.OutcomeUnknown): the exchange failed with
// no answer (see lostAnswerError), or something in between answered 502 or 504. Every
// other error is a definite failure: an HTTP error answer, a request
// refused before it was sent (an empty path segment, a body that cannot be
// encoded), and an answer that arrived but is unusable (not the API's JSON,
// an HTML page, an object without its identity field).
func OutcomeUnknown(err error) bool {
	if err == nil {
		return false
	}
	var lost error
	if le := (*lostAnswerError)(nil); errors.As(err, &le) {
		lost = le
	}
	return httpx.OutcomeUnknown(status(err), lost)
}

// decodeMessage extracts the message of a Drone error body ({"message": ...})
// or returns the body itself, trimmed and shortened (Drone 0.8 answers
// errors in plain text).
func decodeMessage(body []byte) string {
	var m struct {
		Message string `json:"message"`
	}
	if json.Unmarshal(body, &m) == nil && m.Message != "" {
		return m.Message
	}
	s := strings.TrimSpace(string(body))
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	if s == "" {
		s = "(empty body)"
	}
	return s
}
