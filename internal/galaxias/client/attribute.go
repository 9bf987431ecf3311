package client

import (
	"context"
	"sort"
)

// ListInstances lists the instances (Helm releases) matching the filter,
// newest deployment first. The filter is sent and also applied here: the
// re-implementation ignores env_id and name, and its list items carry no
// app_id, env_id or last_deployment (only GET /v1/instances/{id} answers
// them). Such an item is attributed by reading it by id (attributeInstances);
// one that cannot be attributed is left out, never reported as another
// app's.
func (c *Client) ListInstances(ctx context.Context, f InstanceFilter) ([]Instance, error) {
	list, err := listAll[Instance](ctx, c, "/v1/instances", f.query())
	if err != nil {
		return nil, err
	}
	return c.attributeInstances(ctx, list, f)
}

// FindInstance returns the release of an app in an env (nil if none can be
// attributed to them), newest deployment first when there are several
// (several charts of one app). chartName, if given, narrows it to the
// release of that chart before any instance is read by id, so that a
// refresh on the re-implementation costs the list and one read.
func (c *Client) FindInstance(ctx context.Context, appID, envID int64, chartName string) (*Instance, error) {
	f := InstanceFilter{AppID: appID, EnvID: envID}
	list, err := listAll[Instance](ctx, c, "/v1/instances", f.query())
	if err != nil {
		return nil, err
	}
	if chartName != "" {
		mine := list[:0:0]
		for i := range list {
			if list[i].OfChart(chartName) {
				mine = append(mine, list[i])
			}
		}
		list = mine
	}
	out, err := c.attributeInstances(ctx, list, f)
	if err != nil || len(out) == 0 {
		return nil, err
	}
	return &out[0], nil
}

// byIDBudget is how many unattributed instances are read by id before the
// names of the app's and env's places are looked up to narrow them
// (placementOf costs up to four reads).
const byIDBudget = 4

// attributeInstances keeps the instances of the filter's app and env. An
// instance that lacks the app or env asked for is attributed:
//   - one without a last deployment (the re-implementation's list items) is
//     read by id, which answers its app_id, env_id and last_deployment;
//   - one that names its last deployment but not its app and env (or whose
//     read by id does not answer them either) must be where the app and env
//     are (cluster, namespace, project, release <chart>-<namespace>), and its
//     last deployment must name the app and env.
//
// When more than byIDBudget instances need reading, they are first narrowed
// to those where the app and env are.
func (c *Client) attributeInstances(ctx context.Context, list []Instance, f InstanceFilter) ([]Instance, error) {
	a := attribution{c: c, f: f}
	var sure, unsure []Instance
	for _, in := range list {
		if f.Cluster != "" && in.ClusterName != f.Cluster || f.Project != "" && in.ProjectName != f.Project ||
			f.Name != "" && in.Name != f.Name ||
			f.AppID != 0 && in.AppID != 0 && in.AppID != f.AppID || f.EnvID != 0 && in.EnvID != 0 && in.EnvID != f.EnvID {
			continue
		}
		if f.AppID != 0 && in.AppID == 0 || f.EnvID != 0 && in.EnvID == 0 {
			unsure = append(unsure, in)
		} else {
			sure = append(sure, in)
		}
	}
	if len(unsure) > byIDBudget {
		held := unsure[:0:0]
		for i := range unsure {
			ok, err := a.holds(ctx, &unsure[i])
			if err != nil {
				return nil, err
			}
			if ok {
				held = append(held, unsure[i])
			}
		}
		unsure = held
	}
	out := sure
	for i := range unsure {
		ok, err := a.attribute(ctx, &unsure[i])
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, unsure[i])
		}
	}
	if out == nil {
		out = []Instance{}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].LastDeployment > out[j].LastDeployment })
	return out, nil
}

// attribution attributes the instances of one list to the filter's app and
// env; where they are is looked up once, if needed.
type attribution struct {
	c     *Client
	f     InstanceFilter
	where *placement
}

func (a *attribution) holds(ctx context.Context, in *Instance) (bool, error) {
	if a.where == nil {
		p, err := a.c.placementOf(ctx, a.f.AppID, a.f.EnvID)
		if err != nil {
			return false, err
		}
		a.where = p
	}
	return a.where.holds(in), nil
}

// attribute fills in the instance's app and env and reports whether they
// are the filter's.
func (a *attribution) attribute(ctx context.Context, in *Instance) (bool, error) {
	if in.LastDeployment == 0 {
		got, err := a.c.GetInstance(ctx, in.ID)
		if IsNotFound(err) {
			return false, nil // uninstalled since the list
		}
		if err != nil {
			return false, err
		}
		if got.AppID != 0 && got.EnvID != 0 {
			*in = *got
			return (a.f.AppID == 0 || in.AppID == a.f.AppID) && (a.f.EnvID == 0 || in.EnvID == a.f.EnvID), nil
		}
		in.LastDeployment = got.LastDeployment
	}
	if ok, err := a.holds(ctx, in); err != nil || !ok {
		return false, err
	}
	return a.c.attributeByDeployment(ctx, in, a.f)
}

// placement is where an app's releases in an env are: the cluster's name,
// the env's namespace, the app's project name.
type placement struct{ cluster, namespace, project string }

func (c *Client) placementOf(ctx context.Context, appID, envID int64) (*placement, error) {
	p := &placement{}
	if envID != 0 {
		env, err := c.GetEnv(ctx, envID)
		if err != nil {
			return nil, err
		}
		cl, err := c.GetCluster(ctx, env.ClusterID)
		if err != nil {
			return nil, err
		}
		p.cluster, p.namespace = cl.Name, env.Namespace
	}
	if appID != 0 {
		app, err := c.GetApp(ctx, appID)
		if err != nil {
			return nil, err
		}
		pr, err := c.GetProject(ctx, app.ProjectID)
		if err != nil {
			return nil, err
		}
		p.project = pr.Name
	}
	return p, nil
}

// holds reports whether an instance is where the placement is; a release is
// <chart>-<namespace>.
func (p *placement) holds(in *Instance) bool {
	if p.cluster != "" && in.ClusterName != p.cluster || p.namespace != "" && in.EnvNamespace != p.namespace ||
		p.project != "" && in.ProjectName != p.project {
		return false
	}
	return in.ChartName == "" || in.EnvNamespace == "" || in.Name == in.ChartName+"-"+in.EnvNamespace
}

// attributeByDeployment checks an instance's app and env through its last
// deployment, and fills them in.
func (c *Client) attributeByDeployment(ctx context.Context, in *Instance, f InstanceFilter) (bool, error) {
	if in.LastDeployment == 0 {
		return false, nil
	}
	d, err := c.GetDeployment(ctx, in.LastDeployment)
	if IsNotFound(err) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if d.Name != "" && d.Name != in.Name || d.AppID == 0 || d.EnvID == 0 ||
		f.AppID != 0 && d.AppID != f.AppID || f.EnvID != 0 && d.EnvID != f.EnvID {
		return false, nil
	}
	in.AppID, in.EnvID = d.AppID, d.EnvID
	return true, nil
}
