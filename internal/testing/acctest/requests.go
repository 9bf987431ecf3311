package acctest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"testing"
)

// GalaxiasRequests returns how many requests of each "METHOD /path" the
// stack's Galaxias server has received since it started (its test-only
// route GET /v1/_test/requests, in both dialects).
func GalaxiasRequests(t testing.TB) map[string]int {
	t.Helper()
	return GalaxiasRequestsAt(t, Env(t, "GALAXIAS_ENDPOINT"), Env(t, "GALAXIAS_TOKEN"))
}

// GalaxiasRequestsAt is GalaxiasRequests of the reference server at
// endpoint (a test's own), asked with an admin's token.
func GalaxiasRequestsAt(t testing.TB, endpoint, token string) map[string]int {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet,
		strings.TrimSuffix(endpoint, "/")+"/v1/_test/requests", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /v1/_test/requests: HTTP %d", resp.StatusCode)
	}
	var out struct {
		Requests map[string]int `json:"requests"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out.Requests
}

// RequestsSince returns the counts of after that grew since before.
func RequestsSince(before, after map[string]int) map[string]int {
	out := map[string]int{}
	for k, n := range after {
		if d := n - before[k]; d > 0 {
			out[k] = d
		}
	}
	return out
}

// CompareCounts returns an error listing every request whose count in got
// differs from want (a request missing from want is wanted zero times).
func CompareCounts(got, want map[string]int) error {
	var diffs []string
	for k, n := range want {
		if got[k] != n {
			diffs = append(diffs, fmt.Sprintf("%s: %d requests, want %d", k, got[k], n))
		}
	}
	for k, n := range got {
		if _, ok := want[k]; !ok {
			diffs = append(diffs, fmt.Sprintf("%s: %d requests, want none", k, n))
		}
	}
	sort.Strings(diffs)
	if len(diffs) > 0 {
		return fmt.Errorf("the requests sent:\n  %s", strings.Join(diffs, "\n  "))
	}
	return nil
}
