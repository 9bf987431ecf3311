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

var cron1 = identity[drone.Cron]{"name", func(c *drone.Cron) string { return c.Name }}

func (a v1Crons) List(ctx context.Context, owner, repo string) ([]drone.Cron, error) {
	p, err := cronPath(owner, repo)
	if err != nil {
		return nil, err
	}
	return list(ctx, a.c, cron1, p)
}

func (a v1Crons) Get(ctx context.Context, owner, repo, name string) (*drone.Cron, error) {
	p, err := cronPath(owner, repo, name)
	if err != nil {
		return nil, err
	}
	return one(ctx, a.c, cron1, http.MethodGet, p, nil)
}

func (a v1Crons) Create(ctx context.Context, owner, repo string, in drone.Cron) (*drone.Cron, error) {
	p, err := cronPath(owner, repo)
	if err != nil {
		return nil, err
	}
	body := drone.Cron{Name: in.Name, Expr: in.Expr, Event: "push", Branch: in.Branch}
	return one(ctx, a.c, cron1, http.MethodPost, p, &body)
}

func (a v1Crons) Update(ctx context.Context, owner, repo, name string, in drone.CronPatch) (*drone.Cron, error) {
	p, err := cronPath(owner, repo, name)
	if err != nil {
		return nil, err
	}
	return one(ctx, a.c, cron1, http.MethodPatch, p, &in)
}

func (a v1Crons) Delete(ctx context.Context, owner, repo, name string) error {
	p, err := cronPath(owner, repo, name)
	if err != nil {
		return err
	}
	return a.c.deleteIfPresent(ctx, p)
}
