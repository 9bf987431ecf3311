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
	kindData Kind = "terraform_data" // the floor: Terraform core, no provider, no API
	kindNull Kind = "null_provider"  // Terraform core + plugin protocol + framework, no API (benchnull_item)
	// The same-shape null twins: the real types' schemas served by the null
	// provider, the shape's cost without the API. null_drone_secret is
	// drone's, null_galaxias galaxias', null_mixed mixed's (two provider
	// processes, as the real mixed configuration has).
	kindNullSecret   Kind = "null_drone_secret" //nolint:gosec // a benchmark configuration's name, not a credential
	kindNullGalaxias Kind = "null_galaxias"
	kindNullMixed    Kind = "null_mixed"
	kindDrone        Kind = "drone"    // drone_secret spread over a few repositories
	kindGalaxias     Kind = "galaxias" // galaxias_app, galaxias_environment, galaxias_app_config
	kindMixed        Kind = "mixed"    // all of the above
	// kindPeerDrone is mavimo/terraform-provider-drone's drone_secret, the
	// peer comparison (BENCH_PEER_DRONE); never in -kinds.
	kindPeerDrone Kind = "peer_mavimo_drone"
)

// allKinds lists the kinds in the order they are run and reported.
var allKinds = []Kind{kindData, kindNull, kindNullSecret, kindNullGalaxias, kindNullMixed, kindDrone, kindGalaxias, kindMixed}

// NoAPI reports whether a kind calls no API (terraform_data and the null
// provider's kinds).
func (k Kind) NoAPI() bool {
	return k == kindData || k == kindNull || k == kindNullSecret || k == kindNullGalaxias || k == kindNullMixed
}

// Twin is the same-shape null configuration of an API configuration (the
// same types' schemas, N and mix, no API), or "" for none.
func (k Kind) Twin() Kind {
	switch k {
	case kindDrone:
		return kindNullSecret
	case kindGalaxias:
		return kindNullGalaxias
	case kindMixed:
		return kindNullMixed
	}
	return ""
}

// ParseKinds parses a comma-separated list of kinds; terraform_data is always
// included because every ratio is computed against it.
func ParseKinds(s string) ([]Kind, error) {
	want := map[Kind]bool{kindData: true}
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

// fixture is what the generated configurations refer to and do not manage
// themselves: created once per harness run, outside Terraform, so that every
// resource of a configuration is one of the measured types.
type fixture struct {
	Prefix         string   // unique per harness run and configuration: names of apps, namespaces, secrets
	DroneServer    string   // URL the drone provider is pointed at (the proxy)
	GalaxiasURL    string   // URL the galaxias provider is pointed at (the proxy)
	Repos          []string // active Drone repositories (owner/name)
	ProjectID      int64    // galaxias project of the apps
	ClusterID      int64    // galaxias cluster of the environments
	ProjectEnvID   int64    // project-environment of the app configs
	ResourceValues string   // value of every drone_secret (not secret: bench only)
	// Projects, when set, spread the apps over several projects (a scale
	// shape): app i goes to Projects[i % len], its config to that project's
	// project-environment. Unset: every app goes to ProjectID.
	Projects []galaxiasProject
}

// galaxiasProject is a project of the fixture and its project-environment.
type galaxiasProject struct {
	ID, ProjectEnvID int64
}

// project returns the project and the project-environment of app i.
func (fx fixture) project(i int) (projectID, projectEnvID int64) {
	if len(fx.Projects) == 0 {
		return fx.ProjectID, fx.ProjectEnvID
	}
	p := fx.Projects[i%len(fx.Projects)]
	return p.ID, p.ProjectEnvID
}

// mix is how many resources of each type a configuration holds.
type mix map[string]int

// Total is the number of resources.
func (m mix) Total() int {
	t := 0
	for _, v := range m {
		t += v
	}
	return t
}

// String lists the types in a fixed order.
func (m mix) String() string {
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

// nullPrefix is the null provider's prefix of a twin's type names.
const nullPrefix = "benchnull_"

// mixFor returns the resource counts of a kind for N resources. An app
// config needs an app, so a configuration never has more app configs than
// apps (split gives the remainder to the earlier parts: apps come first).
// A null twin has its API configuration's mix, with the types prefixed.
func mixFor(k Kind, n int) mix {
	switch k {
	case kindData:
		return mix{"terraform_data": n}
	case kindNull:
		return mix{"benchnull_item": n}
	case kindDrone, kindPeerDrone:
		return mix{"drone_secret": n}
	case kindGalaxias:
		p := split(n, 3)
		return mix{"galaxias_app": p[0], "galaxias_environment": p[1], "galaxias_app_config": p[2]}
	case kindMixed:
		p := split(n, 4)
		return mix{"galaxias_app": p[0], "galaxias_environment": p[1], "galaxias_app_config": p[2], "drone_secret": p[3]}
	case kindNullSecret, kindNullGalaxias, kindNullMixed:
		out := mix{}
		for t, c := range mixFor(twinOf(k), n) {
			out[nullPrefix+t] = c
		}
		return out
	}
	return nil
}

// twinOf is the API configuration a null twin copies.
func twinOf(k Kind) Kind {
	for _, api := range []Kind{kindDrone, kindGalaxias, kindMixed} {
		if api.Twin() == k {
			return api
		}
	}
	return ""
}

// generate returns main.tf for a kind with n resources, and the counts of
// each type. Every resource is independent of the others except an app
// config, which refers to its app. A null twin's configuration is its API
// configuration's with the types prefixed benchnull_ and no provider
// settings; null_mixed's galaxias types go to a second benchnull provider
// configuration (a second process, as mixed has a drone and a galaxias one).
func generate(k Kind, n int, fx fixture) (string, mix, error) {
	mix := mixFor(k, n)
	if mix == nil {
		return "", nil, fmt.Errorf("unknown kind %q", k)
	}
	var b strings.Builder
	null := twinOf(k) != ""
	pre := ""
	if null {
		pre = nullPrefix
	}
	drone := mix[pre+"drone_secret"] > 0
	galaxias := mix[pre+"galaxias_app"]+mix[pre+"galaxias_environment"]+mix[pre+"galaxias_app_config"] > 0
	galaxiasProvider := "" // the provider meta-argument of the galaxias types
	switch {
	case mix["benchnull_item"] > 0 || null:
		b.WriteString("terraform {\n  required_providers {\n    benchnull = { source = \"galaxias/benchnull\" }\n  }\n}\n\n")
		if drone && galaxias {
			b.WriteString("provider \"benchnull\" {\n  alias = \"galaxias\"\n}\n\n")
			galaxiasProvider = "  provider               = benchnull.galaxias\n"
		}
	case k == kindPeerDrone:
		b.WriteString("terraform {\n  required_providers {\n    drone = { source = \"" + peerSource + "\" }\n  }\n}\n\n")
	case drone || galaxias:
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
	for i := range mix["benchnull_item"] {
		fmt.Fprintf(&b, "resource \"benchnull_item\" \"n%d\" {\n  name        = \"%s-n%d\"\n  description = \"bench item %d\"\n}\n\n",
			i, fx.Prefix, i, i)
	}
	repos := fx.Repos
	if drone && !null {
		if len(repos) == 0 {
			return "", nil, fmt.Errorf("%s: drone_secret needs at least one repository", k)
		}
		// The token comes from DRONE_TOKEN; the server is the counting proxy.
		fmt.Fprintf(&b, "provider \"drone\" {\n  server = %q\n}\n\n", fx.DroneServer)
	}
	if drone && null && len(repos) == 0 {
		repos = []string{"bench/repo0", "bench/repo1", "bench/repo2", "bench/repo3"}
	}
	projectID, clusterID, projectEnvID := fx.ProjectID, fx.ClusterID, fx.ProjectEnvID
	if len(fx.Projects) > 0 {
		projectID, projectEnvID = fx.project(0)
	}
	if galaxias && !null {
		if projectID == 0 || clusterID == 0 || projectEnvID == 0 {
			return "", nil, fmt.Errorf("%s: the galaxias fixture (project, cluster, project-environment) is missing", k)
		}
		fmt.Fprintf(&b, "provider \"galaxias\" {\n  endpoint = %q\n}\n\n", fx.GalaxiasURL)
	}
	if galaxias && null && (projectID == 0 || clusterID == 0 || projectEnvID == 0) {
		fx.Projects, clusterID = []galaxiasProject{{ID: 1, ProjectEnvID: 3}}, 2
	}
	for i := range mix["terraform_data"] {
		fmt.Fprintf(&b, "resource \"terraform_data\" \"d%d\" {\n  input = \"value-%d\"\n}\n\n", i, i)
	}
	value := fx.ResourceValues
	if value == "" {
		value = "bench-value"
	}
	for i := range mix[pre+"drone_secret"] {
		fmt.Fprintf(&b, "resource \"%sdrone_secret\" \"s%d\" {\n  repository = %q\n  name       = \"%s_%d\"\n  value      = \"%s-%d\"\n}\n\n",
			pre, i, repos[i%len(repos)], strings.ReplaceAll(fx.Prefix, "-", "_"), i, value, i)
	}
	for i := range mix[pre+"galaxias_app"] {
		projectID, _ := fx.project(i)
		fmt.Fprintf(&b, "resource \"%sgalaxias_app\" \"a%d\" {\n%s  project_id  = %d\n  name        = \"%s-a%d\"\n  description = \"bench app %d\"\n}\n\n",
			pre, i, galaxiasProvider, projectID, fx.Prefix, i, i)
	}
	for i := range mix[pre+"galaxias_environment"] {
		fmt.Fprintf(&b, "resource \"%sgalaxias_environment\" \"e%d\" {\n%s  cluster_id  = %d\n  namespace   = \"%s-e%d\"\n  description = \"bench environment %d\"\n}\n\n",
			pre, i, galaxiasProvider, clusterID, fx.Prefix, i, i)
	}
	for i := range mix[pre+"galaxias_app_config"] {
		_, projectEnvID := fx.project(i)
		fmt.Fprintf(&b, "resource \"%sgalaxias_app_config\" \"c%d\" {\n%s  app_id                 = %sgalaxias_app.a%d.id\n  project_environment_id = %d\n  values                 = \"replicas: %d\\nimage:\\n  tag: v%d\\n\"\n}\n\n",
			pre, i, galaxiasProvider, pre, i, projectEnvID, 1+i%3, i)
	}
	return b.String(), mix, nil
}
