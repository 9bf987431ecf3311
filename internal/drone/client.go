package drone

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/drone/drone-go/drone"

	"github.com/galaxias/terraform-provider-galaxias/internal/httpx"
)

// Client is what the drone provider hands to its resources: drone-go on the
// shared HTTP layer, plus the token's user.
type Client struct {
	server string
	http   *http.Client // retrying, authenticated
	// Self is the token's user, read once by Configure.
	Self *drone.User

	syncMu sync.Mutex
}

// NewClient builds a client for server with token over base (from httpx.New).
func NewClient(server, token string, base *http.Client) *Client {
	return &Client{
		server: strings.TrimRight(server, "/"),
		http:   httpx.WithHeader(base, "Authorization", "Bearer "+token),
	}
}

// API returns a drone-go client whose requests carry ctx: drone-go takes no
// context, so the transport injects it (for cancellation, deadlines and
// logging to the operation's tflog context).
func (c *Client) API(ctx context.Context) drone.Client {
	hc := &http.Client{Transport: ctxTransport{ctx: ctx, next: c.http.Transport}}
	return drone.NewClient(c.server, hc)
}

type ctxTransport struct {
	ctx  context.Context
	next http.RoundTripper
}

func (t ctxTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	return t.next.RoundTrip(req.WithContext(t.ctx))
}

// APIError is a Drone error response.
type APIError struct {
	Status  int
	Message string
}

func (e *APIError) Error() string {
	return fmt.Sprintf("drone answered %d %s: %s", e.Status, http.StatusText(e.Status), e.Message)
}

var clientErr = regexp.MustCompile(`(?s)^client error ([1-5]\d{2}): ?(.*)$`)

// Wrap turns drone-go's string errors ("client error 404: {...}") into
// *APIError; other errors pass unchanged.
func Wrap(err error) error {
	if err == nil {
		return nil
	}
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return err
	}
	m := clientErr.FindStringSubmatch(strings.TrimSpace(err.Error()))
	if m == nil {
		return err
	}
	status, _ := strconv.Atoi(m[1])
	return &APIError{Status: status, Message: DecodeMessage([]byte(m[2]))}
}

// DecodeMessage extracts the message of a Drone error body ({"message": ...})
// or returns the body itself, trimmed and shortened.
func DecodeMessage(body []byte) string {
	var m struct {
		Message string `json:"message"`
	}
	if json.Unmarshal(body, &m) == nil && m.Message != "" {
		return m.Message
	}
	s := strings.TrimSpace(string(body))
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	if s == "" {
		s = "(empty body)"
	}
	return s
}

// OutcomeUnknown reports whether err, the error of a request, leaves open
// whether Drone processed it: no HTTP answer (a dropped connection, a
// timeout, an interrupt), or a 502 or 504 from something in between.
func OutcomeUnknown(err error) bool {
	if err == nil {
		return false
	}
	s := status(err)
	return s == 0 || s == http.StatusBadGateway || s == http.StatusGatewayTimeout
}

// IsNotFound reports whether err is a Drone 404.
func IsNotFound(err error) bool { return status(err) == http.StatusNotFound }

func status(err error) int {
	var apiErr *APIError
	if errors.As(Wrap(err), &apiErr) {
		return apiErr.Status
	}
	return 0
}

// Do sends a JSON request that drone-go cannot express (for example a patch
// with explicit false values) and decodes the answer into out.
func (c *Client) Do(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.server+path, body)
	if err != nil {
		return err
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode > 299 {
		return &APIError{Status: resp.StatusCode, Message: DecodeMessage(b)}
	}
	if out != nil && len(b) > 0 {
		return json.Unmarshal(b, out)
	}
	return nil
}

// Path joins escaped path segments: Path("api", "repos", o, n).
func Path(segs ...string) string {
	var b strings.Builder
	for _, s := range segs {
		b.WriteByte('/')
		b.WriteString(url.PathEscape(s))
	}
	return b.String()
}

// SyncRepos asks Drone to refresh the token user's repository list from the
// SCM. Calls are serialised: concurrent syncs of one user race in Drone.
func (c *Client) SyncRepos(ctx context.Context) error {
	c.syncMu.Lock()
	defer c.syncMu.Unlock()
	return c.Do(ctx, http.MethodPost, "/api/user/repos", nil, nil)
}
