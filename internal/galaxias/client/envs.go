package client

import (
	"context"
	"fmt"
	"time"
)

// ListEnvs lists envs; search matches the namespace.
func (c *Client) ListEnvs(ctx context.Context, search string) ([]Env, error) {
	return listAll[Env](ctx, c, "/v1/envs", searchQuery(search))
}

func (c *Client) GetEnv(ctx context.Context, id int64) (*Env, error) {
	return get[Env](ctx, c, "/v1/envs/"+itoa(id), nil)
}

func (c *Client) CreateEnv(ctx context.Context, in EnvInput) (*Env, error) {
	c.lists.envs.Wrote("")
	return createOnce(ctx, func() (*Env, error) { return send[Env](ctx, c, "POST", "/v1/envs", in) },
		func(time.Time) ([]Env, error) { return c.ListClusterEnvs(ctx, in.ClusterID) },
		func(e *Env) bool { return e.Namespace == in.Namespace })
}

// UpdateEnv changes the description.
func (c *Client) UpdateEnv(ctx context.Context, id int64, in EnvInput) (*Env, error) {
	c.lists.envs.Wrote(itoa(id))
	return send[Env](ctx, c, "PUT", "/v1/envs/"+itoa(id), in)
}

// DeleteEnv deletes an env; against the re-implementation (which deletes
// one that project-envs still bind, or that has releases) the client
// refuses first with *inUseError.
func (c *Client) DeleteEnv(ctx context.Context, id int64) error {
	c.lists.envs.Wrote(itoa(id))
	rock, err := c.isRock(ctx)
	if err != nil {
		return err
	}
	if rock {
		pes, err := c.FindProjectEnvs(ctx, 0, id)
		if err != nil {
			return err
		}
		insts, err := c.ListInstances(ctx, InstanceFilter{EnvID: id})
		if err != nil && !IsNotFound(err) {
			return err
		}
		if len(pes)+len(insts) > 0 {
			return &inUseError{What: "environment " + itoa(id), By: fmt.Sprintf("%d project-environment(s) and %d release(s)", len(pes), len(insts))}
		}
	}
	return c.del(ctx, "/v1/envs/"+itoa(id), nil)
}
