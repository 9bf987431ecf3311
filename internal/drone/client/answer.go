package client

import (
	"context"
	"net/http"
)

// identity is the field that identifies an object of wire type W: an
// answer without it comes from another dialect than the one in use.
type identity[W any] struct {
	field string
	of    func(*W) string
}

// one sends a request and decodes its answer, one object, after checking
// its identity.
func one[W any](ctx context.Context, c *Client, id identity[W], method, path string, in any) (*W, error) {
	var w W
	if err := c.Do(ctx, method, path, in, &w); err != nil {
		return nil, err
	}
	if id.of(&w) == "" {
		return nil, c.missing(method, path, id.field)
	}
	return &w, nil
}

// list reads a list of objects after checking every one's identity.
func list[W any](ctx context.Context, c *Client, id identity[W], path string) ([]W, error) {
	var ws []W
	if err := c.Do(ctx, http.MethodGet, path, nil, &ws); err != nil {
		return nil, err
	}
	for i := range ws {
		if id.of(&ws[i]) == "" {
			return nil, c.missing(http.MethodGet, path, id.field)
		}
	}
	return ws, nil
}

// missing is the error of an answer without the field that identifies the
// object.
func (c *Client) missing(method, path, field string) error {
	return &missingFieldError{Server: c.name, Method: method, Path: path, Field: field}
}
