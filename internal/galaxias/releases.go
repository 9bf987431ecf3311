package galaxias

import (
	"context"
	"fmt"
	"strings"

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
)

// releasesStillRun explains a delete that Galaxias refused (409) because
// releases still run: it names them, and the setting that left them running.
// Any other error, or a 409 without releases to name, is returned as is.
func releasesStillRun(err error, what string, list func() ([]client.Instance, error), match func(*client.Instance) bool) error {
	if !client.IsConflict(err) {
		return err
	}
	instances, lerr := list()
	if lerr != nil {
		return err
	}
	var names []string
	for i := range instances {
		in := &instances[i]
		if match(in) {
			names = append(names, fmt.Sprintf("%s (chart %s %s, namespace %s of cluster %s)",
				in.Name, in.ChartName, in.ChartVersion, in.EnvNamespace, in.ClusterName))
		}
	}
	if len(names) == 0 {
		return err
	}
	return fmt.Errorf("%w\n\nReleases still run in this %s: %s. A galaxias_deployment with "+
		"uninstall_on_destroy = false leaves its release running when it is destroyed. Set uninstall_on_destroy = true "+
		"(the default) and apply before destroying, or uninstall the releases in Galaxias; then destroy again",
		err, what, strings.Join(names, "; "))
}

// deleteApp deletes an app; refused because releases run, it names them.
// An instance without app_id (not every server answers it) is the app's
// when its chart is the app's.
func deleteApp(ctx context.Context, c *client.Client, id int64) error {
	err := c.DeleteApp(ctx, id)
	if !client.IsConflict(err) {
		return err
	}
	app, gerr := c.GetApp(ctx, id)
	if gerr != nil {
		return err
	}
	return releasesStillRun(err, "app",
		func() ([]client.Instance, error) { return c.ListAppInstances(ctx, id) },
		func(in *client.Instance) bool { return in.AppID == id || in.AppID == 0 && in.ChartName == app.Name })
}

// deleteEnv deletes an environment; refused because releases run, it names
// them. Instances are matched on their namespace and cluster, which every
// server answers (not every one answers env_id or filters by it).
func deleteEnv(ctx context.Context, c *client.Client, id int64) error {
	err := c.DeleteEnv(ctx, id)
	if !client.IsConflict(err) {
		return err
	}
	env, gerr := c.GetEnv(ctx, id)
	if gerr != nil {
		return err
	}
	cluster, gerr := c.GetCluster(ctx, env.ClusterID)
	if gerr != nil {
		return err
	}
	return releasesStillRun(err, "environment",
		func() ([]client.Instance, error) { return c.ListInstances(ctx, client.InstanceFilter{EnvID: id}) },
		func(in *client.Instance) bool {
			return in.EnvNamespace == env.Namespace && in.ClusterName == cluster.Name
		})
}
