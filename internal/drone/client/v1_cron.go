package client

import (
	"context"
	"net/http"

	"github.com/drone/drone-go/drone"
)

type v1Crons struct{ c *Client }

func cronPath(owner, repo string, name ...string) (string, error) {
	return Path(append([]string{"api", "repos", owner, repo, "cron"}, name...)...)
}

// getCron1 exchanges one request for a cron job and checks its name.
func getCron1(ctx context.Context, c *Client, method, path string, in any) (*drone.Cron, error) {
	var cr drone.Cron
	if err := c.Do(ctx, method, path, in, &cr); err != nil {
		return nil, err
	}
	if cr.Name == "" {
		return nil, c.missing(method, path, "name")
	}
	return &cr, nil
}

func (a v1Crons) List(ctx context.Context, owner, repo string) ([]drone.Cron, error) {
	p, err := cronPath(owner, repo)
	if err != nil {
		return nil, err
	}
	var list []drone.Cron
	if err := a.c.Do(ctx, http.MethodGet, p, nil, &list); err != nil {
		return nil, err
	}
	for _, cr := range list {
		if cr.Name == "" {
			return nil, a.c.missing(http.MethodGet, p, "name")
		}
	}
	return list, nil
}

func (a v1Crons) Get(ctx context.Context, owner, repo, name string) (*drone.Cron, error) {
	p, err := cronPath(owner, repo, name)
	if err != nil {
		return nil, err
	}
	return getCron1(ctx, a.c, http.MethodGet, p, nil)
}

func (a v1Crons) Create(ctx context.Context, owner, repo string, in drone.Cron) (*drone.Cron, error) {
	p, err := cronPath(owner, repo)
	if err != nil {
		return nil, err
	}
	body := drone.Cron{Name: in.Name, Expr: in.Expr, Event: "push", Branch: in.Branch}
	return getCron1(ctx, a.c, http.MethodPost, p, &body)
}

func (a v1Crons) Update(ctx context.Context, owner, repo, name string, in drone.CronPatch) (*drone.Cron, error) {
	p, err := cronPath(owner, repo, name)
	if err != nil {
		return nil, err
	}
	return getCron1(ctx, a.c, http.MethodPatch, p, &in)
}

func (a v1Crons) Delete(ctx context.Context, owner, repo, name string) error {
	p, err := cronPath(owner, repo, name)
	if err != nil {
		return err
	}
	return a.c.deleteIfPresent(ctx, p)
}
