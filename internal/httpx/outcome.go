package httpx

import (
	"errors"
	"net"
	"net/http"
	"syscall"
)

// This file holds the one rule, shared by this package's retries and by
// both API clients, about what a failed request tells of the server's side:
//   - notProcessed: the server provably did not process the request, so a
//     POST may be sent again (checkRetry);
//   - OutcomeUnknown: the server may have processed it although no answer
//     says so, so a client must look before it posts again, or keep what it
//     asked for (the Galaxias client's lookups, drone's tainted objects).
//
// A dial error is both: the POST is retried, and once the retries are
// spent its outcome still counts as unknown, the careful side for a client
// that cannot tell which attempt went where.

// OutcomeUnknown reports whether a request may have been processed by the
// server although its caller cannot know. lost is the failure of the
// exchange itself, after the request was handed to the transport (nil when
// an answer was read whole): no answer, a dropped connection, a timeout or
// an interrupt while waiting, a body cut short. Without one, status is the
// answer's: 502 Bad Gateway and 504 Gateway Timeout come from something in
// between that could not hear from the server, and leave the outcome open;
// every other answer is the server's own verdict.
func OutcomeUnknown(status int, lost error) bool {
	if lost != nil {
		return true
	}
	return status == http.StatusBadGateway || status == http.StatusGatewayTimeout
}

// notProcessed reports whether the attempt that ended with resp or err
// provably left the server untouched: the request never reached it (err is
// a dial error), or it answered 429 or 503 with a Retry-After header (told
// to come back later).
func notProcessed(resp *http.Response, err error) bool {
	if err != nil {
		return isDialError(err)
	}
	if resp == nil || (resp.StatusCode != http.StatusTooManyRequests && resp.StatusCode != http.StatusServiceUnavailable) {
		return false
	}
	_, hasRetryAfter := retryAfter(resp)
	return hasRetryAfter
}

// isDialError reports whether the request never reached the server.
func isDialError(err error) bool {
	if errors.Is(err, syscall.ECONNREFUSED) {
		return true
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Op == "dial" {
		return true
	}
	var dnsErr *net.DNSError
	return errors.As(err, &dnsErr)
}
