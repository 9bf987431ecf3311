// Package client speaks the Galaxias API as written down in
// docs/galaxias-api.md. It authenticates with a token or with a user name and
// password, turns error bodies into *APIError, follows every page of lists
// and never records one deployment intent twice.
//
// Retries, timeouts, TLS, logging and the User-Agent belong to the
// *http.Client passed in Options (the project's internal/httpx builds one);
// this package works with any *http.Client.
package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Options configure a Client. Give Token, or Username and Password, or both
// (the token is used first; the password logs in again when it is refused).
type Options struct {
	// BaseURL of the backend, e.g. http://galaxias:8888 (a trailing /v1 is
	// accepted and ignored).
	BaseURL  string
	Token    string
	Username string
	Password string
	// HTTPClient sends the requests; nil means http.DefaultClient.
	HTTPClient *http.Client
	// PollInterval is how often WaitDeployment asks for the status of an
	// asynchronous deployment (default 2s).
	PollInterval time.Duration
}

// Client is a Galaxias API client. It is safe for concurrent use.
type Client struct {
	base     string
	http     *http.Client
	username string
	password string
	poll     time.Duration

	mu    sync.Mutex // guards token
	token string
}

// New checks the options and returns a client. It does not contact the server.
func New(opts Options) (*Client, error) {
	u, err := url.Parse(strings.TrimSpace(opts.BaseURL))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("galaxias: base URL %q must be an http or https URL", opts.BaseURL)
	}
	if opts.Token == "" && (opts.Username == "" || opts.Password == "") {
		return nil, errors.New("galaxias: give a token, or a username and a password")
	}
	c := &Client{
		base:     strings.TrimSuffix(strings.TrimSuffix(u.String(), "/"), "/v1"),
		http:     opts.HTTPClient,
		username: opts.Username,
		password: opts.Password,
		poll:     opts.PollInterval,
		token:    opts.Token,
	}
	if c.http == nil {
		c.http = http.DefaultClient
	}
	if c.poll <= 0 {
		c.poll = 2 * time.Second
	}
	return c, nil
}

// Token is the token the client currently sends (empty before the first
// login of a password-configured client).
func (c *Client) Token() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.token
}

func (c *Client) canLogin() bool { return c.username != "" && c.password != "" }

// Login logs in with the configured user name and password and keeps the
// new token. Requests log in by themselves when needed; calling Login first
// only surfaces wrong credentials early.
func (c *Client) Login(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.loginLocked(ctx)
}

func (c *Client) loginLocked(ctx context.Context) error {
	if !c.canLogin() {
		return errors.New("galaxias: no username and password configured to log in with")
	}
	res, err := c.LoginAs(ctx, c.username, c.password)
	if err != nil {
		return err
	}
	c.token = res.Token
	return nil
}

// LoginAs logs in as another user and returns that user's new token, which
// replaces (invalidates) that user's previous token. The client's own
// credentials are not changed.
func (c *Client) LoginAs(ctx context.Context, name, password string) (*LoginResult, error) {
	var res LoginResult
	hdr, err := c.exchange(ctx, call{method: "POST", path: "/v1/auth/login", body: map[string]string{"name": name, "password": password}}, "", &res)
	if err != nil {
		return nil, err
	}
	if res.Token == "" { // the platform itself only sets the cookie
		for _, line := range hdr.Values("Set-Cookie") {
			if ck, err := http.ParseSetCookie(line); err == nil && ck.Name == "token" {
				res.Token = ck.Value
			}
		}
	}
	if res.Token == "" {
		return nil, errors.New("galaxias: login answered no token")
	}
	return &res, nil
}

// currentToken returns the token to send, logging in first if the client
// has a password but no token yet.
func (c *Client) currentToken(ctx context.Context) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.token == "" {
		if err := c.loginLocked(ctx); err != nil {
			return "", err
		}
	}
	return c.token, nil
}

// relogin logs in again after used was refused, unless another request
// already did (so concurrent 401s cause one login, not a login storm that
// would invalidate each other's tokens).
func (c *Client) relogin(ctx context.Context, used string) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.token != used {
		return c.token, nil
	}
	if err := c.loginLocked(ctx); err != nil {
		return "", err
	}
	return c.token, nil
}

// call is one API request.
type call struct {
	method string
	path   string
	query  url.Values
	body   any    // JSON-encoded, unless raw is set
	raw    []byte // sent as is with contentType
	ctype  string
}

// do sends the call with authentication and decodes the answer into out (if
// not nil). With a password it logs in once on a 401 and tries again once.
func (c *Client) do(ctx context.Context, cl call, out any) error {
	tok, err := c.currentToken(ctx)
	if err != nil {
		return err
	}
	_, err = c.exchange(ctx, cl, tok, out)
	if IsUnauthorized(err) && c.canLogin() {
		if tok, err = c.relogin(ctx, tok); err != nil {
			return err
		}
		_, err = c.exchange(ctx, cl, tok, out)
	}
	return err
}

// exchange sends one request and decodes its answer into out. It returns the
// answer's headers.
func (c *Client) exchange(ctx context.Context, cl call, token string, out any) (http.Header, error) {
	payload, ctype := cl.raw, cl.ctype
	if cl.body != nil {
		var err error
		if payload, err = json.Marshal(cl.body); err != nil {
			return nil, fmt.Errorf("galaxias: %s %s: encoding the request: %w", cl.method, cl.path, err)
		}
		ctype = "application/json"
	}
	u := c.base + cl.path
	if len(cl.query) > 0 {
		u += "?" + cl.query.Encode()
	}
	var body io.Reader
	if payload != nil {
		body = bytes.NewReader(payload) // lets the transport replay it (GetBody)
	}
	req, err := http.NewRequestWithContext(ctx, cl.method, u, body)
	if err != nil {
		return nil, fmt.Errorf("galaxias: %s %s: %w", cl.method, cl.path, err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	req.Header.Set("Accept", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, &TransportError{Method: cl.method, Path: cl.path, Err: err}
	}
	defer func() { _ = resp.Body.Close() }()
	return resp.Header, c.decodeResponse(resp, cl.method, cl.path, out)
}

// decodeResponse turns a 2xx answer into out and anything else into an
// *APIError.
func (c *Client) decodeResponse(resp *http.Response, method, path string, out any) error {
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return &TransportError{Method: method, Path: path, Err: err}
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		if out == nil || len(bytes.TrimSpace(body)) == 0 {
			return nil
		}
		if err := json.Unmarshal(body, out); err != nil {
			return fmt.Errorf("galaxias: %s %s: decoding the answer: %w", method, path, err)
		}
		return nil
	}
	ae := &APIError{StatusCode: resp.StatusCode, Method: method, Path: path}
	var eb struct {
		Error     string `json:"error"`
		ErrorCode int    `json:"error_code"`
	}
	if json.Unmarshal(body, &eb) == nil && eb.Error != "" {
		ae.Message, ae.Code = eb.Error, eb.ErrorCode
	} else {
		ae.Message = strings.TrimSpace(string(body))
		if len(ae.Message) > 200 {
			ae.Message = ae.Message[:200] + "..."
		}
		if ae.Message == "" {
			ae.Message = http.StatusText(resp.StatusCode)
		}
		if ae.Message == "" {
			ae.Message = fmt.Sprintf("HTTP status %d with an empty body", resp.StatusCode)
		}
	}
	if resp.StatusCode == http.StatusUnauthorized && !c.canLogin() {
		ae.tokenOnly = true
	}
	return ae
}

// Health checks GET /health.
func (c *Client) Health(ctx context.Context) error {
	_, err := c.exchange(ctx, call{method: "GET", path: "/health"}, "", nil)
	return err
}

// get, send and listAll are the typed shapes of do.

func get[T any](ctx context.Context, c *Client, path string, query url.Values) (*T, error) {
	var out T
	if err := c.do(ctx, call{method: "GET", path: path, query: query}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

func send[T any](ctx context.Context, c *Client, method, path string, body any) (*T, error) {
	var out T
	if err := c.do(ctx, call{method: method, path: path, body: body}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

func (c *Client) del(ctx context.Context, path string, query url.Values) error {
	return c.do(ctx, call{method: "DELETE", path: path, query: query}, nil)
}

// Page is the list envelope of the API.
type Page[T any] struct {
	Page    int `json:"page"`
	PerPage int `json:"per_page"`
	Total   int `json:"total"`
	Pages   int `json:"pages"`
	Items   []T `json:"items"`
}

// listPerPage is the page size the client asks for.
const listPerPage = 100

// listAll follows every page of a list.
func listAll[T any](ctx context.Context, c *Client, path string, query url.Values) ([]T, error) {
	q := url.Values{}
	for k, v := range query {
		q[k] = v
	}
	q.Set("per_page", fmt.Sprint(listPerPage))
	all := []T{}
	for page := 1; ; page++ {
		q.Set("page", fmt.Sprint(page))
		p, err := get[Page[T]](ctx, c, path, q)
		if err != nil {
			return nil, err
		}
		all = append(all, p.Items...)
		if page >= p.Pages || len(p.Items) == 0 {
			return all, nil
		}
	}
}

// fq returns the query for an optional fq search.
func fq(search string) url.Values {
	if search == "" {
		return nil
	}
	return url.Values{"fq": {search}}
}
