package client

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
)

// listPage is one page of a list, whichever names the server gave its envelope:
// page/per_page (the platform, the contract) or page_num/page_size (the
// re-implementation; per_size in some of its versions).
type listPage[T any] struct {
	Page    int `json:"page"`
	PerPage int `json:"per_page"`
	Total   int `json:"total"`
	Pages   int `json:"pages"`
	Items   []T `json:"items"`
	// Naming is the dialect the envelope's names belong to ("" if neither).
	Naming Dialect `json:"-"`
	// Bare is true when the answer was a bare JSON array, not an envelope.
	Bare bool `json:"-"`
}

// UnmarshalJSON reads both envelopes and a bare array.
func (p *listPage[T]) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '[' {
		*p = listPage[T]{Bare: true, Page: 1, Pages: 1}
		if err := json.Unmarshal(b, &p.Items); err != nil {
			return err
		}
		p.Total = len(p.Items)
		return nil
	}
	var env struct {
		Page     *int `json:"page"`
		PerPage  *int `json:"per_page"`
		PageNum  *int `json:"page_num"`
		PageSize *int `json:"page_size"`
		PerSize  *int `json:"per_size"`
		Total    int  `json:"total"`
		Pages    int  `json:"pages"`
		Items    []T  `json:"items"`
	}
	if err := json.Unmarshal(b, &env); err != nil {
		return err
	}
	if env.Items == nil && env.Page == nil && env.PageNum == nil {
		// ChartMuseum's GET /api/charts shape: {"<chart>": [entries...], ...}
		var byName map[string][]T
		if json.Unmarshal(b, &byName) == nil && len(byName) > 0 {
			names := make([]string, 0, len(byName))
			for name := range byName {
				names = append(names, name)
			}
			sort.Strings(names)
			*p = listPage[T]{Bare: true, Page: 1, Pages: 1}
			for _, name := range names {
				p.Items = append(p.Items, byName[name]...)
			}
			p.Total = len(p.Items)
			return nil
		}
	}
	*p = listPage[T]{Total: env.Total, Pages: env.Pages, Items: env.Items}
	switch {
	case env.PageNum != nil || env.PageSize != nil || env.PerSize != nil:
		p.Naming = DialectRock
		p.Page, p.PerPage = deref(env.PageNum), deref(env.PageSize)
		if env.PageSize == nil {
			p.PerPage = deref(env.PerSize)
		}
	case env.Page != nil || env.PerPage != nil:
		p.Naming = dialectGalaxias
		p.Page, p.PerPage = deref(env.Page), deref(env.PerPage)
	}
	return nil
}

func deref(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}

// listPerPage is the page size the client asks for.
const listPerPage = 100

// maxPages stops a list that never ends (a server that ignores the page
// parameter and keeps claiming more pages).
const maxPages = 10000

// pageQuery is the query of one page in both namings, so that both servers
// page correctly: page/per_page (the platform, the contract) and
// page_num/page_size (the re-implementation, which answers 500 without
// them). Each server ignores the other's names.
func pageQuery(query url.Values, page, perPage int) url.Values {
	q := url.Values{}
	for k, v := range query {
		q[k] = v
	}
	q.Set("page", fmt.Sprint(page))
	q.Set("per_page", fmt.Sprint(perPage))
	q.Set("page_num", fmt.Sprint(page))
	q.Set("page_size", fmt.Sprint(perPage))
	return q
}

// recordID is implemented by every record through Meta.
type recordID interface{ recordID() int64 }

func (m *Meta) recordID() int64 { return m.ID }

// listAll follows every page of a list. It stops at an empty page, at the
// last page the envelope names, once it has the total, or at a bare array;
// a record seen twice (a list reordered while paging) is kept once.
func listAll[T any](ctx context.Context, c *Client, path string, query url.Values) ([]T, error) {
	all := []T{}
	seen := map[int64]bool{}
	for page := 1; page <= maxPages; page++ {
		p, err := get[listPage[T]](ctx, c, path, pageQuery(query, page, listPerPage))
		if err != nil {
			return nil, err
		}
		if page == 1 {
			c.learnFromPage(p.Naming, path)
		}
		fresh := 0
		for i := range p.Items {
			if r, ok := any(&p.Items[i]).(recordID); ok && r.recordID() != 0 {
				if seen[r.recordID()] {
					continue
				}
				seen[r.recordID()] = true
			}
			all = append(all, p.Items[i])
			fresh++
		}
		last := p.Bare || len(p.Items) == 0 || fresh == 0 || p.Total > 0 && len(all) >= p.Total
		switch {
		case p.Pages > 0:
			last = last || page >= p.Pages
		case p.Total == 0:
			last = last || len(p.Items) < listPerPage
		}
		if last {
			return all, nil
		}
	}
	return all, nil
}

// searchQuery returns the query for an optional name search, in both namings:
// fq (the platform, the contract) and query_field (the re-implementation).
func searchQuery(s string) url.Values {
	if s == "" {
		return nil
	}
	return url.Values{"fq": {s}, "query_field": {s}}
}
