package bench

import (
	"os"
	"strings"
	"testing"
)

// docs/performance.md is what the harness renders from docs/performance.json
// (go run ./cmd/bench -report-only), followed by the hand-written analysis.
func TestCommittedReportIsRendered(t *testing.T) {
	const dir = "../../../../docs"
	r, err := ReadReport(dir + "/performance.json")
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(dir + "/performance.md")
	if err != nil {
		t.Fatal(err)
	}
	committed, _, _ := strings.Cut(string(b), notesMarker)
	if got := markdown(r); strings.TrimSpace(got) != strings.TrimSpace(committed) {
		t.Errorf("docs/performance.md is not what the harness renders from docs/performance.json: run go run ./cmd/bench -report-only")
	}
}
