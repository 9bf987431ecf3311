// Package client is the provider's one road to a Drone server: typed
// methods per dialect (Drone 1.x and 0.8 APIs) on the shared HTTP layer
// (internal/httpx). The 1.x dialect speaks drone-go v1.7.1's wire types; the
// 0.8 dialect has its own. Resources see both through Dialect, whose fields
// are small interfaces per object; an API the server lacks is a nil field.
//
// Every answer goes through one exchange (Client.Do) that turns HTTP errors
// into *APIError and a 2xx that is not the expected JSON (Drone 0.8 answers
// unknown routes with its HTML index page, status 200) into
// *unexpectedAnswerError, and marks a failure of the exchange itself (no
// answer) as the only error whose outcome is unknown (OutcomeUnknown);
// paths are built by Path, which refuses empty segments.
package client

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/galaxias/terraform-provider-galaxias/internal/httpx"
)

// Client sends JSON requests to one Drone server with a token.
type Client struct {
	server string
	http   *http.Client // retrying, authenticated
	// name says which server answered in error messages, e.g. "Drone 0.8.9";
	// set by Connect once the version is known.
	name string
	// syncMu serialises repository syncs: concurrent syncs of one user race
	// in Drone.
	syncMu sync.Mutex
}

// New returns a client for server with token over base (from httpx.New).
func New(server, token string, base *http.Client) *Client {
	return &Client{
		server: strings.TrimRight(server, "/"),
		http:   httpx.WithHeader(base, "Authorization", "Bearer "+token),
		name:   "Drone",
	}
}

// Do sends one request (in, when not nil, as JSON) to path and decodes the
// answer into out (when not nil). It is the only place that talks to the
// server.
func (c *Client) Do(ctx context.Context, method, path string, in, out any) error {
	_, err := c.send(ctx, method, path, in, out)
	return err
}

// send is Do that also returns the answer's headers (nil without an answer).
func (c *Client) send(ctx context.Context, method, path string, in, out any) (http.Header, error) {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return nil, fmt.Errorf("encoding the %s %s request: %w", method, path, err)
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.server+path, body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, &lostAnswerError{err}
	}
	defer resp.Body.Close()
	b, err := httpx.ReadBody(resp.Body)
	if err != nil && !httpx.IsBodyTooLarge(err) {
		return resp.Header, &lostAnswerError{err}
	}
	if resp.StatusCode > 299 {
		return resp.Header, &APIError{Method: method, Path: path, Status: resp.StatusCode, Message: decodeMessage(b)}
	}
	unexpected := func(why string) error {
		return &unexpectedAnswerError{Server: c.name, Method: method, Path: path, Status: resp.StatusCode,
			ContentType: resp.Header.Get("Content-Type"), Why: why}
	}
	if err != nil {
		return resp.Header, unexpected("a body larger than the provider reads (" + err.Error() + ")")
	}
	if looksLikeHTML(resp.Header.Get("Content-Type"), b) {
		return resp.Header, unexpected("an HTML page")
	}
	if out == nil {
		// No answer is expected (a DELETE, a sync): real servers answer
		// with no body (Drone 0.8 and 1.x alike: 204, or 200 with an empty
		// text/plain body) or with JSON. Any other text is a page from
		// something else: the request reached no Drone API.
		if t := bytes.TrimSpace(b); len(t) != 0 && !json.Valid(t) {
			return resp.Header, unexpected("a body that is not JSON")
		}
		return resp.Header, nil
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return resp.Header, unexpected("an empty body")
	}
	if err := json.Unmarshal(b, out); err != nil {
		return resp.Header, unexpected(fmt.Sprintf("a body that is not the expected JSON (%v)", err))
	}
	return resp.Header, nil
}

func looksLikeHTML(contentType string, body []byte) bool {
	return strings.Contains(strings.ToLower(contentType), "html") || bytes.HasPrefix(bytes.TrimSpace(body), []byte("<"))
}
