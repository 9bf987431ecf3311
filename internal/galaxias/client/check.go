package client

import (
	"context"
	"net/url"
)

// CheckAuth makes one cheap authenticated call that every role may make (the
// first page of one project), so that a provider can check its credentials
// once: with a password it logs in, with a token it proves the token valid.
func (c *Client) CheckAuth(ctx context.Context) error {
	_, err := get[Page[Project]](ctx, c, "/v1/projects", url.Values{"page": {"1"}, "per_page": {"1"}})
	return err
}
