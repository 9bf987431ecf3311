package client

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"testing"
)

// FuzzDecodeResponse feeds arbitrary statuses and bodies to the one decoder
// of Galaxias answers: it must never panic, a non-2xx answer is always an
// *APIError with the status and a message, and a 2xx answer never is.
func FuzzDecodeResponse(f *testing.F) {
	f.Add(404, []byte(`{"error":"project not found","error_code":40400003}`))
	f.Add(500, []byte(`{"error":"render failed","error_code":50000006}`))
	f.Add(502, []byte("<html>bad gateway</html>"))
	f.Add(401, []byte(``))
	f.Add(200, []byte(`{"id":1,"name":"p"}`))
	f.Add(201, []byte(`not json`))
	c := &Client{}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		if status < 100 || status > 999 {
			return
		}
		resp := &http.Response{StatusCode: status, Body: io.NopCloser(bytes.NewReader(body))}
		var out Project
		err := c.decodeResponse(resp, "GET", "/v1/projects/1", &out)
		var ae *APIError
		isAPI := errors.As(err, &ae)
		if status >= 200 && status < 300 {
			if isAPI {
				t.Fatalf("2xx answer became an APIError: %v", err)
			}
			return
		}
		if !isAPI || ae.StatusCode != status || ae.Message == "" {
			t.Fatalf("status %d body %q: got %#v", status, body, err)
		}
		_ = ae.Error()
		if IsNotFound(err) != (status == 404) || IsConflict(err) != (status == 409) {
			t.Fatalf("classification wrong for %d", status)
		}
	})
}
