package client

import (
	"context"
	"fmt"
	"time"
)

func (c *Client) ListClusters(ctx context.Context, search string) ([]Cluster, error) {
	return listAll[Cluster](ctx, c, "/v1/clusters", searchQuery(search))
}

// GetCluster reads a cluster. Check HasConfig before trusting Config: the
// re-implementation never answers it.
func (c *Client) GetCluster(ctx context.Context, id int64) (*Cluster, error) {
	return get[Cluster](ctx, c, "/v1/clusters/"+itoa(id), nil)
}

// CreateCluster makes a cluster once (createOnce). The re-implementation
// checks the kubeconfig by calling the cluster's API server with no time
// limit: an attempt that timed out there is a *KubeCheckTimeoutError, and
// is not posted again.
func (c *Client) CreateCluster(ctx context.Context, in ClusterInput) (*Cluster, error) {
	rock, err := c.isRock(ctx)
	if err != nil {
		return nil, err
	}
	return createOnce(ctx, func() (*Cluster, error) {
		start := time.Now()
		cl, err := send[Cluster](ctx, c, "POST", "/v1/clusters", in)
		if rock && timedOut(ctx, err) {
			return nil, &KubeCheckTimeoutError{Name: in.Name, Waited: time.Since(start), Err: err}
		}
		return cl, err
	}, func(time.Time) ([]Cluster, error) { return c.ListClusters(ctx, in.Name) },
		func(cl *Cluster) bool { return cl.Name == in.Name })
}

// UpdateCluster sends the whole input, the kubeconfig included (the
// re-implementation requires it on every PUT).
func (c *Client) UpdateCluster(ctx context.Context, id int64, in ClusterInput) (*Cluster, error) {
	return send[Cluster](ctx, c, "PUT", "/v1/clusters/"+itoa(id), in)
}

// DeleteCluster deletes a cluster; against the re-implementation (which
// deletes one that still has envs) the client refuses first with
// *inUseError.
func (c *Client) DeleteCluster(ctx context.Context, id int64) error {
	rock, err := c.isRock(ctx)
	if err != nil {
		return err
	}
	if rock {
		envs, err := c.ListClusterEnvs(ctx, id)
		if err != nil && !IsNotFound(err) {
			return err
		}
		if len(envs) > 0 {
			return &inUseError{What: "cluster " + itoa(id), By: fmt.Sprintf("%d environment(s)", len(envs))}
		}
	}
	return c.del(ctx, "/v1/clusters/"+itoa(id), nil)
}

func (c *Client) ListClusterEnvs(ctx context.Context, clusterID int64) ([]Env, error) {
	list, err := listAll[Env](ctx, c, "/v1/clusters/"+itoa(clusterID)+"/envs", nil)
	if err != nil {
		return nil, err
	}
	out := list[:0]
	for _, e := range list {
		if e.ClusterID == 0 || e.ClusterID == clusterID {
			out = append(out, e)
		}
	}
	return out, nil
}
