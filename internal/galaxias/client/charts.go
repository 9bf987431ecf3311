package client

import (
	"context"
	"net/url"
	"strings"
)

// UploadChart uploads a chart archive (.tgz) as the raw request body (the
// contract). The re-implementation has no upload route: charts are pushed
// to its ChartMuseum.
func (c *Client) UploadChart(ctx context.Context, archive []byte) (*Chart, error) {
	rock, err := c.isRock(ctx)
	if err != nil {
		return nil, err
	}
	if rock {
		return nil, &UnsupportedError{What: "uploading a chart through Galaxias", Dialect: DialectRock,
			Hint: "push it to the ChartMuseum that Galaxias reads (POST /api/charts)"}
	}
	var out Chart
	if err := c.do(ctx, call{method: "POST", path: "/v1/charts", raw: archive, ctype: "application/gzip"}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// ListCharts lists every chart version; search matches the chart name.
func (c *Client) ListCharts(ctx context.Context, search string) ([]Chart, error) {
	list, err := listAll[Chart](ctx, c, "/v1/charts", searchQuery(search))
	if err != nil {
		return nil, err
	}
	out := list[:0]
	for _, ch := range list {
		if strings.Contains(strings.ToLower(ch.Name), strings.ToLower(search)) {
			out = append(out, ch)
		}
	}
	return out, nil
}

// ListChartVersions lists the versions of one chart (404 if it has none).
func (c *Client) ListChartVersions(ctx context.Context, name string) ([]Chart, error) {
	return listAll[Chart](ctx, c, "/v1/charts/"+url.PathEscape(name), nil)
}

// chartPath is one chart version's route: /v1/charts/{name}/{version} on
// the contract, /v1/charts/{name}/versions/{version} on the
// re-implementation.
func (c *Client) chartPath(ctx context.Context, name, version string) (string, error) {
	rock, err := c.isRock(ctx)
	if err != nil {
		return "", err
	}
	if rock {
		return "/v1/charts/" + url.PathEscape(name) + "/versions/" + url.PathEscape(version), nil
	}
	return "/v1/charts/" + url.PathEscape(name) + "/" + url.PathEscape(version), nil
}

func (c *Client) GetChart(ctx context.Context, name, version string) (*Chart, error) {
	p, err := c.chartPath(ctx, name, version)
	if err != nil {
		return nil, err
	}
	return get[Chart](ctx, c, p, nil)
}

func (c *Client) DeleteChart(ctx context.Context, name, version string) error {
	p, err := c.chartPath(ctx, name, version)
	if err != nil {
		return err
	}
	return c.del(ctx, p, nil)
}
