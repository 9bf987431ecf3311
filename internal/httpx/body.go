package httpx

import (
	"errors"
	"fmt"
	"io"
)

// MaxBody bounds the size of an answer's body that an API client reads into
// memory: far above any answer of either API (lists come in pages), low
// enough that a runaway answer cannot exhaust the provider's memory.
const MaxBody = 4 << 20

// ErrBodyTooLarge is the error of ReadBody for a body longer than MaxBody.
var ErrBodyTooLarge = fmt.Errorf("the answer's body is larger than %d MiB", MaxBody>>20)

// ReadBody reads an answer's body, MaxBody bytes at the most. A longer body
// gives its first MaxBody bytes and ErrBodyTooLarge; a failed read gives
// what was read and the read's error.
func ReadBody(r io.Reader) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxBody+1))
	if err != nil {
		return b, err
	}
	if len(b) > MaxBody {
		return b[:MaxBody], ErrBodyTooLarge
	}
	return b, nil
}

// IsBodyTooLarge reports whether err is ReadBody's ErrBodyTooLarge.
func IsBodyTooLarge(err error) bool { return errors.Is(err, ErrBodyTooLarge) }
