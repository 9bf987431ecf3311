package httpx

import (
	"fmt"
	"math"
	"net/http"
	"testing"
	"time"
)

// nominal is the un-jittered backoff min·2^attempt capped at max, computed
// without overflow.
func nominal(minWait, maxWait time.Duration, attempt int) time.Duration {
	d := minWait
	for range attempt {
		if d > maxWait/2 {
			return maxWait
		}
		d *= 2
	}
	return min(d, maxWait)
}

func TestBackoffWithinJitterBoundsAndCapped(t *testing.T) {
	bounds := []struct{ minWait, maxWait time.Duration }{
		{time.Millisecond, 4 * time.Millisecond},
		{defaultWaitMin, defaultWaitMax},
		{time.Second, time.Minute},
		{3 * time.Millisecond, 3 * time.Millisecond},
		{7 * time.Second, time.Hour},
		{20 * time.Second, 24 * time.Hour},
		{time.Minute, 1000 * time.Hour},
		{time.Nanosecond, time.Duration(math.MaxInt64)},
	}
	for _, b := range bounds {
		t.Run(fmt.Sprintf("%v-%v", b.minWait, b.maxWait), func(t *testing.T) {
			for attempt := range 100 {
				want := nominal(b.minWait, b.maxWait, attempt)
				for range 20 {
					got := backoffNoPanic(t, b.minWait, b.maxWait, attempt, nil)
					if got < want/2 || got > want {
						t.Fatalf("Backoff(%v, %v, %d) = %v, want within [%v, %v]",
							b.minWait, b.maxWait, attempt, got, want/2, want)
					}
					if got > b.maxWait {
						t.Fatalf("Backoff(%v, %v, %d) = %v exceeds the max", b.minWait, b.maxWait, attempt, got)
					}
				}
			}
		})
	}
}

func backoffNoPanic(t *testing.T, minWait, maxWait time.Duration, attempt int, resp *http.Response) (d time.Duration) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("Backoff(%v, %v, %d) panicked: %v", minWait, maxWait, attempt, r)
		}
	}()
	return backoff(minWait, maxWait, attempt, resp)
}

func TestBackoffGrowsExponentially(t *testing.T) {
	const minWait, maxWait = 10 * time.Millisecond, time.Hour
	// Below the cap, the jitter window of attempt n+1, [2d/2, 2d], starts
	// where that of attempt n, [d/2, d], ends: every sample is at least the
	// previous one, and the nominal value doubles.
	for attempt := 0; nominal(minWait, maxWait, attempt+1) < maxWait; attempt++ {
		for range 50 {
			a := backoff(minWait, maxWait, attempt, nil)
			b := backoff(minWait, maxWait, attempt+1, nil)
			if b < a {
				t.Fatalf("backoff(attempt %d) = %v < backoff(attempt %d) = %v", attempt+1, b, attempt, a)
			}
		}
		if got := backoff(minWait, maxWait, attempt, nil); got < (minWait<<attempt)/2 {
			t.Fatalf("attempt %d: %v, want >= %v", attempt, got, (minWait<<attempt)/2)
		}
	}
	// Average over many samples roughly doubles per attempt.
	mean := func(attempt int) float64 {
		var sum time.Duration
		for range 2000 {
			sum += backoff(minWait, maxWait, attempt, nil)
		}
		return float64(sum) / 2000
	}
	for attempt := range 8 {
		ratio := mean(attempt+1) / mean(attempt)
		if ratio < 1.8 || ratio > 2.2 {
			t.Fatalf("mean backoff ratio attempt %d→%d = %.2f, want ≈2", attempt, attempt+1, ratio)
		}
	}
}

func TestBackoffIsJittered(t *testing.T) {
	const d = time.Second
	seen := map[time.Duration]bool{}
	lo, hi := d, time.Duration(0)
	for range 2000 {
		got := backoff(d, d, 0, nil)
		seen[got] = true
		lo, hi = min(lo, got), max(hi, got)
	}
	if len(seen) < 100 {
		t.Fatalf("only %d distinct values over 2000 samples: not jittered", len(seen))
	}
	// The samples should spread over the whole [d/2, d] window.
	if lo > 55*d/100 || hi < 95*d/100 {
		t.Fatalf("samples span [%v, %v], want close to [%v, %v]", lo, hi, d/2, d)
	}
}

func TestBackoffUsesRetryAfterOn429And503(t *testing.T) {
	for _, status := range []int{http.StatusTooManyRequests, http.StatusServiceUnavailable} {
		for _, attempt := range []int{0, 3, 40} {
			got := backoff(time.Millisecond, 2*time.Millisecond, attempt, respWithRetryAfter(status, "3"))
			if got != 3*time.Second {
				t.Errorf("status %d attempt %d: backoff = %v, want exactly the Retry-After 3s (no cap, no jitter)", status, attempt, got)
			}
		}
		got := backoff(time.Millisecond, 2*time.Millisecond, 0, respWithRetryAfter(status, "0"))
		if got != 0 {
			t.Errorf("status %d: backoff with Retry-After 0 = %v, want 0", status, got)
		}
	}
}

func TestBackoffIgnoresRetryAfterOnOtherStatuses(t *testing.T) {
	for _, status := range []int{http.StatusInternalServerError, http.StatusBadGateway, http.StatusGatewayTimeout} {
		got := backoff(time.Millisecond, 4*time.Millisecond, 1, respWithRetryAfter(status, "3"))
		if got < time.Millisecond || got > 2*time.Millisecond {
			t.Errorf("status %d: backoff = %v, want the jittered exponential value in [1ms, 2ms]", status, got)
		}
	}
}

func TestBackoffWithoutRetryAfterOn503(t *testing.T) {
	got := backoff(time.Millisecond, 4*time.Millisecond, 2, respWithRetryAfter(http.StatusServiceUnavailable, ""))
	if got < 2*time.Millisecond || got > 4*time.Millisecond {
		t.Fatalf("Backoff = %v, want within [2ms, 4ms]", got)
	}
}

func TestBackoffZeroInputs(t *testing.T) {
	for _, tc := range []struct {
		minWait, maxWait time.Duration
		attempt          int
	}{
		{0, 0, 0},
		{0, time.Second, 5},
		{time.Second, 0, 1},
	} {
		got := backoffNoPanic(t, tc.minWait, tc.maxWait, tc.attempt, nil)
		if want := nominal(tc.minWait, tc.maxWait, tc.attempt); got < want/2 || got > want {
			t.Errorf("Backoff(%v, %v, %d) = %v, want within [%v, %v]", tc.minWait, tc.maxWait, tc.attempt, got, want/2, want)
		}
	}
}
