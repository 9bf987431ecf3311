// Package bench is the performance harness behind cmd/bench (make bench): it
// generates Terraform configurations with N resources, runs apply, a
// no-change refresh-plan and destroy with the real terraform CLI against the
// local stack (cmd/stack) through counting reverse proxies, and compares the
// providers with terraform_data, the floor that Terraform core sets.
package bench

import (
	"fmt"
	"sort"
	"strings"
)

// Kind is one family of generated configurations.
type Kind string

// The configurations the harness measures.
const (
	KindData Kind = "terraform_data" // the floor: Terraform core, no provider, no API
	KindNull Kind = "null_provider"  // Terraform core + plugin protocol + framework, no API (benchnull_item)
	// drone_secret's schema served by the null provider: the shape's cost without the API
	KindNullSecret Kind = "null_drone_secret" //nolint:gosec // a benchmark configuration's name, not a credential
	KindDrone      Kind = "drone"             // drone_secret spread over a few repositories
	KindGalaxias   Kind = "galaxias"          // galaxias_app, galaxias_environment, galaxias_app_config
	KindMixed      Kind = "mixed"             // all of the above
)

// allKinds lists the kinds in the order they are run and reported.
var allKinds = []Kind{KindData, KindNull, KindNullSecret, KindDrone, KindGalaxias, KindMixed}

// NoAPI reports whether a kind calls no API (terraform_data and the null
// provider's kinds).
func (k Kind) NoAPI() bool { return k == KindData || k == KindNull || k == KindNullSecret }

// ParseKinds parses a comma-separated list of kinds; terraform_data is always
// included because every ratio is computed against it.
func ParseKinds(s string) ([]Kind, error) {
	want := map[Kind]bool{KindData: true}
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		ok := false
		for _, k := range allKinds {
			if string(k) == f {
				want[k], ok = true, true
			}
		}
		if !ok {
			return nil, fmt.Errorf("unknown kind %q (want %v)", f, allKinds)
		}
	}
	var out []Kind
	for _, k := range allKinds {
		if want[k] {
			out = append(out, k)
		}
	}
	return out, nil
}

// Fixture is what the generated configurations refer to and do not manage
// themselves: created once per harness run, outside Terraform, so that every
// resource of a configuration is one of the measured types.
type Fixture struct {
	Prefix         string   // unique per harness run and configuration: names of apps, namespaces, secrets
	DroneServer    string   // URL the drone provider is pointed at (the proxy)
	GalaxiasURL    string   // URL the galaxias provider is pointed at (the proxy)
	Repos          []string // active Drone repositories (owner/name)
	ProjectID      int64    // galaxias project of the apps
	ClusterID      int64    // galaxias cluster of the environments
	ProjectEnvID   int64    // project-environment of the app configs
	ResourceValues string   // value of every drone_secret (not secret: bench only)
}

// Mix is how many resources of each type a configuration holds.
type Mix map[string]int

// Total is the number of resources.
func (m Mix) Total() int {
	t := 0
	for _, v := range m {
		t += v
	}
	return t
}

// String lists the types in a fixed order.
func (m Mix) String() string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s=%d", k, m[k]))
	}
	return strings.Join(parts, " ")
}

// split divides n into parts of equal size, the remainder going to the
// first parts, so that the parts always sum to n.
func split(n int, parts int) []int {
	out := make([]int, parts)
	for i := range out {
		out[i] = n / parts
		if i < n%parts {
			out[i]++
		}
	}
	return out
}

// mixFor returns the resource counts of a kind for N resources. An app
// config needs an app, so a configuration never has more app configs than
// apps (split gives the remainder to the earlier parts: apps come first).
func mixFor(k Kind, n int) Mix {
	switch k {
	case KindData:
		return Mix{"terraform_data": n}
	case KindNull:
		return Mix{"benchnull_item": n}
	case KindNullSecret:
		return Mix{"benchnull_drone_secret": n}
	case KindDrone:
		return Mix{"drone_secret": n}
	case KindGalaxias:
		p := split(n, 3)
		return Mix{"galaxias_app": p[0], "galaxias_environment": p[1], "galaxias_app_config": p[2]}
	case KindMixed:
		p := split(n, 4)
		return Mix{"galaxias_app": p[0], "galaxias_environment": p[1], "galaxias_app_config": p[2], "drone_secret": p[3]}
	}
	return nil
}

// generate returns main.tf for a kind with n resources, and the counts of
// each type. Every resource is independent of the others except an app
// config, which refers to its app.
func generate(k Kind, n int, fx Fixture) (string, Mix, error) {
	mix := mixFor(k, n)
	if mix == nil {
		return "", nil, fmt.Errorf("unknown kind %q", k)
	}
	var b strings.Builder
	drone, galaxias := mix["drone_secret"] > 0, mix["galaxias_app"]+mix["galaxias_environment"]+mix["galaxias_app_config"] > 0
	if mix["benchnull_item"]+mix["benchnull_drone_secret"] > 0 {
		b.WriteString("terraform {\n  required_providers {\n    benchnull = { source = \"galaxias/benchnull\" }\n  }\n}\n\n")
	}
	for i := range mix["benchnull_item"] {
		fmt.Fprintf(&b, "resource \"benchnull_item\" \"n%d\" {\n  name        = \"%s-n%d\"\n  description = \"bench item %d\"\n}\n\n",
			i, fx.Prefix, i, i)
	}
	if drone || galaxias {
		b.WriteString("terraform {\n  required_providers {\n")
		if drone {
			pad := ""
			if galaxias {
				pad = "   " // aligned as terraform fmt does
			}
			b.WriteString("    drone" + pad + " = { source = \"galaxias/drone\" }\n")
		}
		if galaxias {
			b.WriteString("    galaxias = { source = \"galaxias/galaxias\" }\n")
		}
		b.WriteString("  }\n}\n\n")
	}
	if drone {
		if len(fx.Repos) == 0 {
			return "", nil, fmt.Errorf("%s: drone_secret needs at least one repository", k)
		}
		// The token comes from DRONE_TOKEN; the server is the counting proxy.
		fmt.Fprintf(&b, "provider \"drone\" {\n  server = %q\n}\n\n", fx.DroneServer)
	}
	if galaxias {
		if fx.ProjectID == 0 || fx.ClusterID == 0 || fx.ProjectEnvID == 0 {
			return "", nil, fmt.Errorf("%s: the galaxias fixture (project, cluster, project-environment) is missing", k)
		}
		fmt.Fprintf(&b, "provider \"galaxias\" {\n  endpoint = %q\n}\n\n", fx.GalaxiasURL)
	}
	for i := range mix["terraform_data"] {
		fmt.Fprintf(&b, "resource \"terraform_data\" \"d%d\" {\n  input = \"value-%d\"\n}\n\n", i, i)
	}
	value := fx.ResourceValues
	if value == "" {
		value = "bench-value"
	}
	for i := range mix["benchnull_drone_secret"] { // as drone_secret below, without a server
		fmt.Fprintf(&b, "resource \"benchnull_drone_secret\" \"s%d\" {\n  repository = \"bench/repo%d\"\n  name       = \"%s_%d\"\n  value      = \"%s-%d\"\n}\n\n",
			i, i%4, strings.ReplaceAll(fx.Prefix, "-", "_"), i, value, i)
	}
	for i := range mix["drone_secret"] {
		fmt.Fprintf(&b, "resource \"drone_secret\" \"s%d\" {\n  repository = %q\n  name       = \"%s_%d\"\n  value      = \"%s-%d\"\n}\n\n",
			i, fx.Repos[i%len(fx.Repos)], strings.ReplaceAll(fx.Prefix, "-", "_"), i, value, i)
	}
	for i := range mix["galaxias_app"] {
		fmt.Fprintf(&b, "resource \"galaxias_app\" \"a%d\" {\n  project_id  = %d\n  name        = \"%s-a%d\"\n  description = \"bench app %d\"\n}\n\n",
			i, fx.ProjectID, fx.Prefix, i, i)
	}
	for i := range mix["galaxias_environment"] {
		fmt.Fprintf(&b, "resource \"galaxias_environment\" \"e%d\" {\n  cluster_id  = %d\n  namespace   = \"%s-e%d\"\n  description = \"bench environment %d\"\n}\n\n",
			i, fx.ClusterID, fx.Prefix, i, i)
	}
	for i := range mix["galaxias_app_config"] {
		fmt.Fprintf(&b, "resource \"galaxias_app_config\" \"c%d\" {\n  app_id                 = galaxias_app.a%d.id\n  project_environment_id = %d\n  values                 = \"replicas: %d\\nimage:\\n  tag: v%d\\n\"\n}\n\n",
			i, i, fx.ProjectEnvID, 1+i%3, i)
	}
	return b.String(), mix, nil
}
