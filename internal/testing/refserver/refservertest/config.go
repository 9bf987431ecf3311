package refservertest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// PutConfig changes the test-only switches of the reference server at url
// (PUT /v1/_test/config, in either dialect, with an admin's token): "async",
// "async_duration" (a Go duration), "faults" (refserver.ParseFault's
// form) and "tiller_down" (cluster ids, rock dialect); fields left out stay as they are. It returns the whole
// configuration the server answers, and fails the test unless it answers 200.
func PutConfig(tb testing.TB, url, token string, config map[string]any) map[string]any {
	tb.Helper()
	body, err := json.Marshal(config)
	if err != nil {
		tb.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPut, strings.TrimSuffix(url, "/")+"/v1/_test/config", bytes.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	answer, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		tb.Fatalf("PUT /v1/_test/config %s: %s: %s", body, resp.Status, answer)
	}
	var got map[string]any
	if err := json.Unmarshal(answer, &got); err != nil {
		tb.Fatalf("PUT /v1/_test/config: answer %q: %v", answer, err)
	}
	return got
}

// SetFaults replaces every fault of the reference server at url with these
// (none: no faults), through PutConfig.
func SetFaults(tb testing.TB, url, token string, faults ...string) {
	tb.Helper()
	if faults == nil {
		faults = []string{} // null would leave the faults as they are
	}
	PutConfig(tb, url, token, map[string]any{"faults": faults})
}

// SetTillerDown says which clusters' Tiller is down on the reference server
// at url (rock dialect; none: every Tiller answers again), through
// PutConfig: deployments to those clusters answer 500 50000005 and instance
// deletes 500, as the re-implementation's do.
func SetTillerDown(tb testing.TB, url, token string, clusters ...int64) {
	tb.Helper()
	if clusters == nil {
		clusters = []int64{} // null would leave the switch as it is
	}
	PutConfig(tb, url, token, map[string]any{"tiller_down": clusters})
}
