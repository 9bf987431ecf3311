package httpx

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
)

// Options.Permanent stops retries for the answers it names, sees the start
// of the body, and leaves the whole body to the caller; answers it does not
// name are retried as before.
func TestPermanentHookStopsRetries(t *testing.T) {
	long := `{"error_code":1,"pad":"` + strings.Repeat("x", 2*peekLimit) + `"}`
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		switch r.URL.Path {
		case "/verdict":
			reply(w, http.StatusInternalServerError, long)
		default:
			reply(w, http.StatusInternalServerError, "transient")
		}
	})
	var seen [][]byte
	c := newClient(t, func(o *Options) {
		o.MaxRetries = 3
		o.Permanent = func(status int, _ http.Header, body []byte) bool {
			seen = append(seen, body)
			return status == 500 && bytes.HasPrefix(body, []byte(`{"error_code"`))
		}
	})

	res := mustSend(t, c, http.MethodGet, srv.URL+"/verdict", "")
	if srv.hits.Load() != 1 {
		t.Fatalf("a permanent answer was retried: %d attempts", srv.hits.Load())
	}
	if res.status != 500 || res.body != long {
		t.Fatalf("the caller must get the whole body (%d bytes), got %d %d bytes", len(long), res.status, len(res.body))
	}
	if len(seen) != 1 || len(seen[0]) != peekLimit {
		t.Fatalf("the hook must see the first %d bytes once, saw %d calls", peekLimit, len(seen))
	}

	res = mustSend(t, c, http.MethodGet, srv.URL+"/other", "")
	if got := srv.hits.Load(); got != 1+4 || res.body != "transient" {
		t.Fatalf("an answer the hook does not name must be retried as before: %d hits, body %q", got, res.body)
	}
}

// The hook is not asked about answers that are never retried anyway.
func TestPermanentHookOnlyAskedAboutRetryableAnswers(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		reply(w, http.StatusNotFound, "nope")
	})
	asked := 0
	c := newClient(t, func(o *Options) {
		o.Permanent = func(int, http.Header, []byte) bool { asked++; return false }
	})
	if res := mustSend(t, c, http.MethodGet, srv.URL, ""); res.status != 404 || res.body != "nope" || asked != 0 {
		t.Fatalf("404: got %d %q, hook asked %d times", res.status, res.body, asked)
	}
}
