package client

import (
	"context"
	"fmt"
	"strconv"
	"time"
)

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// ---- projects ----

func (c *Client) ListProjects(ctx context.Context, search string) ([]Project, error) {
	return listAll[Project](ctx, c, "/v1/projects", searchQuery(search))
}

func (c *Client) GetProject(ctx context.Context, id int64) (*Project, error) {
	return get[Project](ctx, c, "/v1/projects/"+itoa(id), nil)
}

func (c *Client) CreateProject(ctx context.Context, in ProjectInput) (*Project, error) {
	return createOnce(ctx, func() (*Project, error) { return send[Project](ctx, c, "POST", "/v1/projects", in) },
		func(time.Time) ([]Project, error) { return c.ListProjects(ctx, in.Name) },
		func(p *Project) bool { return p.Name == in.Name })
}

// UpdateProject changes the description, and the name where the server
// allows it (Traits.Renames: the re-implementation ignores names).
func (c *Client) UpdateProject(ctx context.Context, id int64, in ProjectInput) (*Project, error) {
	return send[Project](ctx, c, "PUT", "/v1/projects/"+itoa(id), in)
}

// DeleteProject deletes a project. The re-implementation deletes a project
// that still has apps or project-envs (answering 204) and leaves them
// orphaned; against it the client looks first and refuses with
// *inUseError, as the contract's server does with 409.
func (c *Client) DeleteProject(ctx context.Context, id int64) error {
	rock, err := c.isRock(ctx)
	if err != nil {
		return err
	}
	if rock {
		apps, err := c.ListProjectApps(ctx, id)
		if err != nil && !IsNotFound(err) {
			return err
		}
		pes, err := c.ListProjectEnvs(ctx, id)
		if err != nil && !IsNotFound(err) {
			return err
		}
		if len(apps)+len(pes) > 0 {
			return &inUseError{What: "project " + itoa(id), By: fmt.Sprintf("%d app(s) and %d project-environment(s)", len(apps), len(pes))}
		}
	}
	return c.del(ctx, "/v1/projects/"+itoa(id), nil)
}

func (c *Client) ListProjectApps(ctx context.Context, projectID int64) ([]App, error) {
	list, err := listAll[App](ctx, c, "/v1/projects/"+itoa(projectID)+"/apps", nil)
	if err != nil {
		return nil, err
	}
	out := list[:0]
	for _, a := range list {
		if a.ProjectID == 0 || a.ProjectID == projectID {
			if a.ProjectID == 0 {
				a.ProjectID = projectID
			}
			out = append(out, a)
		}
	}
	return out, nil
}
