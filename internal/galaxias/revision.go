package galaxias

import (
	"crypto/sha256"
	"encoding/hex"
)

// ValuesRevision is the revision of Helm values: the SHA-256 (hex) of their
// normalised form, so it changes exactly when the data changes, not when key
// order, quoting, comments or whitespace do. Text that is not YAML (only
// Galaxias can hold such, edited outside Terraform) gets the hash of the raw
// text, prefixed so that it never equals a revision of valid values.
func ValuesRevision(text string) string {
	norm, err := NormalizeYAML(text)
	if err != nil {
		sum := sha256.Sum256([]byte(text))
		return "raw-" + hex.EncodeToString(sum[:])
	}
	sum := sha256.Sum256([]byte(norm))
	return hex.EncodeToString(sum[:])
}
