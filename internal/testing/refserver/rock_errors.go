package refserver

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
)

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
