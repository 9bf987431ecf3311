package httpx

import "net/http"

// WithHeader returns a client that sets header on every request before the
// retrying transport sees it, e.g. "Authorization: Bearer <token>". The value
// is masked in logs by the Options.Secrets of the underlying client.
func WithHeader(c *http.Client, header, value string) *http.Client {
	return &http.Client{
		Transport:     headerTransport{next: c.Transport, header: header, value: value},
		CheckRedirect: c.CheckRedirect,
		Jar:           c.Jar,
		Timeout:       c.Timeout,
	}
}

type headerTransport struct {
	next          http.RoundTripper
	header, value string
}

func (h headerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	req.Header.Set(h.header, h.value)
	return h.next.RoundTrip(req)
}
