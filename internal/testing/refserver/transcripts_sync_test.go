package refserver_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// sharedTranscripts is where the project's shared reference material keeps
// the recordings, beside the checkout (the developers' and CI's layout).
const sharedTranscripts = "../../../../shared/reference/rock-transcripts"

// The conformance test replays testdata/rock-transcripts; this holds that
// copy to the shared recordings, so that a recording added or changed there
// fails here until it is copied in (and so replayed).
func TestRockTranscriptsMatchSharedReference(t *testing.T) {
	shared, err := filepath.Glob(filepath.Join(sharedTranscripts, "*.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	if len(shared) == 0 {
		t.Skipf("no recordings at %s: the shared reference folder is not beside this checkout", sharedTranscripts)
	}
	for _, path := range shared {
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join("testdata", "rock-transcripts", filepath.Base(path)))
		if err != nil {
			t.Errorf("%s is not in testdata/rock-transcripts: copy it there so the conformance test replays it", filepath.Base(path))
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("testdata/rock-transcripts/%s differs from %s: copy the recording again", filepath.Base(path), path)
		}
	}
}
