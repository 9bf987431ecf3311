package galaxias

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
)

// galaxias_environment by cluster and namespace; its state has the
// attributes of the resource.
var environmentLookup = &lookup[environmentModel]{
	API:  galaxiasAPI,
	Name: "environment",
	Schema: schema.Schema{
		MarkdownDescription: "An existing Galaxias environment, found by its cluster and Kubernetes namespace. " +
			"Fails when the cluster has no environment for the namespace.",
		Attributes: map[string]schema.Attribute{
			"cluster_id":  dsRef("Id of the environment's cluster."),
			"namespace":   dsKey("Kubernetes namespace.", namespaceValidator()),
			"id":          dsID("The environment's id."),
			"description": dsDescription(),
		},
	},
	Read: func(ctx context.Context, o request, m *environmentModel) error {
		c := o.Client
		cluster, ns := m.ClusterID.ValueInt64(), m.Namespace.ValueString()
		envs, err := c.ListEnvs(ctx, ns)
		if err != nil {
			return err
		}
		e, err := onlyMatch(envs, fmt.Sprintf("environment with namespace %q in cluster %d", ns, cluster),
			func(e *client.Env) bool { return e.ClusterID == cluster && e.Namespace == ns })
		if err != nil {
			return err
		}
		m.fromAPI(e)
		return nil
	},
}
