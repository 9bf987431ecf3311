package galaxias

import (
	"context"
	"fmt"
	"time"

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
)

// createOnce makes a record with a POST that is not idempotent. When the
// POST's outcome is unknown (its answer was lost), it looks up the record
// the POST would have made, among those created since shortly before the
// call, and takes it; only if there is none does it post once more.
// Posting again blindly would answer 409 duplicate on this and every later
// apply, for a record that Terraform does not know.
func createOnce[T any](ctx context.Context, post func() (*T, error), list func() ([]T, error), match func(*T) bool, meta func(*T) client.Meta) (*T, error) {
	// Created_at has whole seconds and the server's clock is not ours.
	since := time.Now().Add(-2 * time.Second).Truncate(time.Second)
	var err error
	for attempt := 0; attempt < 2; attempt++ {
		var v *T
		v, err = post()
		if !client.OutcomeUnknown(ctx, err) {
			return v, err
		}
		all, lerr := list()
		if lerr != nil {
			return nil, fmt.Errorf("%w; the outcome is unknown and looking the record up failed: %v", err, lerr)
		}
		for i := len(all) - 1; i >= 0; i-- {
			if r := &all[i]; match(r) && !meta(r).CreatedAt.Before(since) {
				return r, nil
			}
		}
	}
	return nil, fmt.Errorf("the outcome stayed unknown and no record was made: %w", err)
}
