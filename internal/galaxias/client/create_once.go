package client

import (
	"context"
	"fmt"
	"time"
)

// Created returns when the record was created; every record type has it
// through the embedded Meta.
func (m Meta) Created() Time { return m.CreatedAt }

// createOnce makes a record with a POST that is not idempotent, and never
// records one intent twice. When the POST's outcome is unknown (no answer,
// or a 502/504 from something in between), it looks up the record the POST
// would have made — list returns the candidates, match picks the intent's,
// and only records whose created_at (with an offset, so comparable with
// this machine's clock) is since shortly before the call count — and takes
// it; only if there is none does it post once more. Posting again blindly
// would make a duplicate, or answer 409 on this and every later apply for a
// record that the caller does not know. A record whose time has no offset
// (the re-implementation) cannot be shown to be new and is never taken: the
// second POST then meets the duplicate, and the error says so.
func createOnce[T any, P interface {
	*T
	Created() Time
}](ctx context.Context, post func() (*T, error), list func(since time.Time) ([]T, error), match func(*T) bool) (*T, error) {
	// created_at has whole seconds and the server's clock is not ours.
	since := time.Now().Add(-2 * time.Second).Truncate(time.Second)
	var err error
	for attempt := 0; attempt < 2; attempt++ {
		var v *T
		v, err = post()
		if attempt > 0 && IsDuplicate(err) {
			return nil, fmt.Errorf("%w; the first attempt got no answer, and the record that exists now may be the one it "+
				"made, but this server's answer cannot show that: if it is yours, import it", err)
		}
		if !outcomeUnknown(ctx, err) {
			return v, err
		}
		all, lerr := list(since)
		if lerr != nil {
			return nil, fmt.Errorf("galaxias: the outcome is unknown (%w), and looking the record up failed: %v", err, lerr)
		}
		for i := len(all) - 1; i >= 0; i-- {
			r := &all[i]
			if t := P(r).Created(); match(r) && t.Zoned && !t.Before(since) {
				return r, nil
			}
		}
	}
	return nil, fmt.Errorf("galaxias: the outcome stayed unknown and no record was made: %w", err)
}
