package client

import (
	"context"
	"fmt"
	"net/url"
	"time"
)

func peBase(projectID int64) string { return "/v1/projects/" + itoa(projectID) + "/project-envs" }

// ListProjectEnvs lists the project-envs of a project.
func (c *Client) ListProjectEnvs(ctx context.Context, projectID int64) ([]ProjectEnv, error) {
	list, err := listAll[ProjectEnv](ctx, c, peBase(projectID), nil)
	if err != nil {
		return nil, err
	}
	out := list[:0]
	for _, pe := range list {
		if pe.ProjectID == 0 {
			pe.ProjectID = projectID
		}
		if pe.ProjectID == projectID {
			out = append(out, pe)
		}
	}
	return out, nil
}

// GetProjectEnv reads a project-env of a project. The re-implementation
// ignores the project id in the path; the client answers 404 for a
// project-env of another project.
func (c *Client) GetProjectEnv(ctx context.Context, projectID, id int64) (*ProjectEnv, error) {
	pe, err := get[ProjectEnv](ctx, c, peBase(projectID)+"/"+itoa(id), nil)
	if err != nil {
		return nil, err
	}
	if pe.ProjectID == 0 {
		pe.ProjectID = projectID
	}
	if pe.ProjectID != projectID {
		return nil, notFound("GET", peBase(projectID)+"/"+itoa(id),
			fmt.Sprintf("project-environment %d belongs to project %d, not %d", id, pe.ProjectID, projectID))
	}
	return pe, nil
}

// CreateProjectEnv binds an env to a project. A name is always sent (the
// re-implementation requires one): without in.Name, "<cluster name>-<namespace>",
// as the platform's UI labels them.
func (c *Client) CreateProjectEnv(ctx context.Context, projectID int64, in ProjectEnvInput) (*ProjectEnv, error) {
	c.lists.projectEnvs.Wrote("")
	if in.Name == "" {
		name, err := c.DefaultProjectEnvName(ctx, in.EnvID)
		if err != nil {
			return nil, err
		}
		in.Name = name
	}
	return createOnce(ctx, func() (*ProjectEnv, error) {
		pe, err := send[ProjectEnv](ctx, c, "POST", peBase(projectID), in)
		if err == nil && pe.ProjectID == 0 {
			pe.ProjectID = projectID
		}
		return pe, err
	},
		func(time.Time) ([]ProjectEnv, error) { return c.ListProjectEnvs(ctx, projectID) },
		func(pe *ProjectEnv) bool { return pe.EnvID == in.EnvID && pe.Name == in.Name })
}

// DefaultProjectEnvName is "<cluster name>-<namespace>" of an env.
func (c *Client) DefaultProjectEnvName(ctx context.Context, envID int64) (string, error) {
	env, err := c.GetEnv(ctx, envID)
	if err != nil {
		return "", err
	}
	cl, err := c.GetCluster(ctx, env.ClusterID)
	if err != nil {
		return "", err
	}
	return cl.Name + "-" + env.Namespace, nil
}

// UpdateProjectEnv changes the description, and the name where the server
// allows it (the re-implementation changes only the description, and
// ignores the project id of the path: the client checks it first).
func (c *Client) UpdateProjectEnv(ctx context.Context, projectID, id int64, in ProjectEnvInput) (*ProjectEnv, error) {
	c.lists.projectEnvs.Wrote(itoa(id))
	if err := c.checkProjectEnvOwner(ctx, projectID, id); err != nil {
		return nil, err
	}
	pe, err := send[ProjectEnv](ctx, c, "PUT", peBase(projectID)+"/"+itoa(id), in)
	if err == nil && pe.ProjectID == 0 {
		pe.ProjectID = projectID
	}
	return pe, err
}

// DeleteProjectEnv deletes a project-env of a project (checked first on the
// re-implementation, which ignores the project of the path). The
// re-implementation refuses while any app config row refers to it, an
// emptied one included (412 41200008, IsInUse): see RemoveAppConfig.
func (c *Client) DeleteProjectEnv(ctx context.Context, projectID, id int64) error {
	c.lists.projectEnvs.Wrote(itoa(id))
	if err := c.checkProjectEnvOwner(ctx, projectID, id); err != nil {
		return err
	}
	err := c.del(ctx, peBase(projectID)+"/"+itoa(id), nil)
	if CodeOf(err) == CodeRockConfigDependence {
		return fmt.Errorf("%w; this server keeps an app config row for every app that ever had values for this "+
			"project-environment (also after the app or the config was destroyed: its only delete route would "+
			"delete every app's config, so the provider empties configs instead), and it has no route that "+
			"deletes one of them", err)
	}
	return err
}

func (c *Client) checkProjectEnvOwner(ctx context.Context, projectID, id int64) error {
	rock, err := c.isRock(ctx)
	if err != nil || !rock {
		return err
	}
	_, err = c.GetProjectEnv(ctx, projectID, id)
	return err
}

// LookupProjectEnv reads a project-env by id alone, e.g. to import one. It
// uses GET /v1/project-envs/{id} where the server has it (this project's
// contract, [D]); elsewhere it lists the project-envs of every project.
func (c *Client) LookupProjectEnv(ctx context.Context, id int64) (*ProjectEnv, error) {
	has, err := c.hasContractRoutes(ctx)
	if err != nil {
		return nil, err
	}
	if has {
		pe, err := get[ProjectEnv](ctx, c, "/v1/project-envs/"+itoa(id), nil)
		if !routeMissing(err) {
			return pe, err
		}
		c.noteContractRoutes(false)
	}
	all, err := c.FindProjectEnvs(ctx, 0, 0)
	if err != nil {
		return nil, err
	}
	for i := range all {
		if all[i].ID == id {
			return &all[i], nil
		}
	}
	return nil, notFound("GET", "/v1/project-envs/"+itoa(id), fmt.Sprintf("no project of this server has project-environment %d", id))
}

// FindProjectEnvs lists project-envs of any project; zero ids do not
// filter. It uses GET /v1/project-envs where the server has it ([D]), and
// otherwise the project-envs of every project (or of the one given).
func (c *Client) FindProjectEnvs(ctx context.Context, projectID, envID int64) ([]ProjectEnv, error) {
	var all []ProjectEnv
	has, err := c.hasContractRoutes(ctx)
	if err != nil {
		return nil, err
	}
	if has {
		q := url.Values{}
		if projectID != 0 {
			q.Set("project_id", itoa(projectID))
		}
		if envID != 0 {
			q.Set("env_id", itoa(envID))
		}
		all, err = listAll[ProjectEnv](ctx, c, "/v1/project-envs", q)
		if routeMissing(err) {
			c.noteContractRoutes(false)
			has = false
		} else if err != nil {
			return nil, err
		}
	}
	if !has {
		projects := []int64{projectID}
		if projectID == 0 {
			ps, err := c.ListProjects(ctx, "")
			if err != nil {
				return nil, err
			}
			projects = projects[:0]
			for _, p := range ps {
				projects = append(projects, p.ID)
			}
		}
		all = nil
		for _, p := range projects {
			pes, err := c.ListProjectEnvs(ctx, p)
			if err != nil && !IsNotFound(err) {
				return nil, err
			}
			all = append(all, pes...)
		}
	}
	out := []ProjectEnv{}
	for _, pe := range all {
		if (projectID == 0 || pe.ProjectID == projectID) && (envID == 0 || pe.EnvID == envID) {
			out = append(out, pe)
		}
	}
	return out, nil
}
