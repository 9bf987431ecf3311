package client

import (
	"context"
)

// CheckAuth makes one cheap authenticated call that every role may make (the
// first page of one project, asked in both list namings so that neither
// server refuses it), so that a provider can check its credentials once:
// with a password it logs in, with a token it proves the token valid. Its
// envelope also tells the server's dialect.
func (c *Client) CheckAuth(ctx context.Context) error {
	p, err := get[listPage[Project]](ctx, c, "/v1/projects", pageQuery(nil, 1, 1))
	if err != nil {
		return err
	}
	c.learnFromPage(p.Naming, "/v1/projects")
	return nil
}
