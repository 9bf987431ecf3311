package galaxias_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/acctest"
)

// dsErrText matches a message whatever Terraform's line wrapping did to its spaces.
func dsErrText(s string) *regexp.Regexp {
	return regexp.MustCompile(strings.Join(strings.Fields(regexp.QuoteMeta(s)), `\s+`))
}

// dsNotFound matches a server's "not found" for a record, as the contract
// ("project 7 not found") and the re-implementation ("Project with id(7)
// was not found") word it.
func dsNotFound(what string, id int64) *regexp.Regexp {
	return regexp.MustCompile(fmt.Sprintf(`(?is)%s\s+(with\s+id\()?%d\)?\s+(is\s+|was\s+)?not\s+found`, what, id))
}

// dsCheck is ExpectKnownValue on a data source.
func dsCheck(addr, attr string, v knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue("data."+addr, tfjsonpath.New(attr), v)
}

// dsLookupTest reads one data source: found (with its checks), then searched
// by what the missing config asks and expected to fail with wantErr.
func dsLookupTest(t *testing.T, found string, checks []statecheck.StateCheck, missing string, wantErr *regexp.Regexp) {
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{Config: found, ConfigStateChecks: checks},
			{Config: missing, ExpectError: wantErr},
		},
	})
}

func TestAccDataSourceProject(t *testing.T) {
	r := stackRecords(t)
	name := acctest.Name("dsp")
	p := r.project(name, "the one")
	r.project(name+"-other", "a longer name holding the searched one") // fq finds it too
	r.project(strings.ToUpper(name), "same name, other case")
	legacy := r.project("Legacy "+name, "a name the resource would refuse, made elsewhere")
	cfg := func(name string) string {
		return fmt.Sprintf("data \"galaxias_project\" \"p\" {\n  name = %q\n}\n", name)
	}
	found := cfg(name) + strings.Replace(cfg(legacy.Name), `"p"`, `"legacy"`, 1)
	dsLookupTest(t, found, []statecheck.StateCheck{
		dsCheck("galaxias_project.legacy", "id", knownvalue.Int64Exact(legacy.ID)),
		dsCheck("galaxias_project.p", "id", knownvalue.Int64Exact(p.ID)),
		dsCheck("galaxias_project.p", "name", knownvalue.StringExact(name)),
		dsCheck("galaxias_project.p", "description", knownvalue.StringExact("the one")),
	}, cfg(name[:len(name)-1]), dsErrText(fmt.Sprintf("no project named %q", name[:len(name)-1])))
}

func TestAccDataSourceApp(t *testing.T) {
	r := stackRecords(t)
	name := acctest.Name("dsa")
	p := r.project(name, "")
	p2 := r.project(name+"-2", "")
	in := client.AppInput{ProjectID: p.ID, Name: name, Description: "the app"}
	rock := acctest.IsRock(t)
	if !rock {
		// The re-implementation takes these only from Drone, when a git
		// project id is given (and answers no gitlab_project_id).
		in.GitlabProjectID, in.FullName, in.GitlabAddress, in.DroneRepoID = 42, "group/"+name, "http://git.example.com/group/"+name+".git", 7
	}
	a := r.app(in)
	plain := r.app(client.AppInput{ProjectID: p.ID, Name: name + "-plain"})
	r.app(client.AppInput{ProjectID: p2.ID, Name: name, Description: "same name, other project"})
	cfg := func(project int64, name string) string {
		return fmt.Sprintf("data \"galaxias_app\" \"a\" {\n  project_id = %d\n  name = %q\n}\n", project, name)
	}
	found := cfg(p.ID, name) + strings.Replace(cfg(p.ID, name+"-plain"), `"a"`, `"plain"`, 1)
	checks := []statecheck.StateCheck{
		dsCheck("galaxias_app.a", "id", knownvalue.Int64Exact(a.ID)),
		dsCheck("galaxias_app.a", "project_id", knownvalue.Int64Exact(p.ID)),
		dsCheck("galaxias_app.a", "description", knownvalue.StringExact("the app")),
		dsCheck("galaxias_app.a", "owner", knownvalue.StringExact(a.Owner)),
		dsCheck("galaxias_app.plain", "id", knownvalue.Int64Exact(plain.ID)),
		dsCheck("galaxias_app.plain", "git_project_id", knownvalue.Null()),
		dsCheck("galaxias_app.plain", "drone_repo_id", knownvalue.Int64Exact(0)),
		dsCheck("galaxias_app.plain", "description", knownvalue.StringExact("")),
	}
	if !rock {
		checks = append(checks,
			dsCheck("galaxias_app.a", "git_project_id", knownvalue.Int64Exact(42)),
			dsCheck("galaxias_app.a", "full_name", knownvalue.StringExact("group/"+name)),
			dsCheck("galaxias_app.a", "git_address", knownvalue.StringExact("http://git.example.com/group/"+name+".git")),
			dsCheck("galaxias_app.a", "drone_repo_id", knownvalue.Int64Exact(7)))
	}
	dsLookupTest(t, found, checks, cfg(p2.ID, name+"-plain"), dsErrText(fmt.Sprintf("no app named %q in project %d", name+"-plain", p2.ID)))
}

func TestAccDataSourceEnvironment(t *testing.T) {
	r := stackRecords(t)
	name := acctest.Name("dse")
	c1, c2 := r.cluster(name), r.cluster(name+"-2")
	e := r.env(c1.ID, name, "the env")
	r.env(c2.ID, name, "same namespace, other cluster")
	r.env(c1.ID, name+"-b", "")
	cfg := func(cluster int64, ns string) string {
		return fmt.Sprintf("data \"galaxias_environment\" \"e\" {\n  cluster_id = %d\n  namespace = %q\n}", cluster, ns)
	}
	dsLookupTest(t, cfg(c1.ID, name), []statecheck.StateCheck{
		dsCheck("galaxias_environment.e", "id", knownvalue.Int64Exact(e.ID)),
		dsCheck("galaxias_environment.e", "cluster_id", knownvalue.Int64Exact(c1.ID)),
		dsCheck("galaxias_environment.e", "namespace", knownvalue.StringExact(name)),
		dsCheck("galaxias_environment.e", "description", knownvalue.StringExact("the env")),
	}, cfg(c2.ID, name+"-b"), dsErrText(fmt.Sprintf("no environment with namespace %q in cluster %d", name+"-b", c2.ID)))
}

func TestAccDataSourceProjectEnvironment(t *testing.T) {
	r := stackRecords(t)
	name := acctest.Name("dspe")
	p, p2 := r.project(name, ""), r.project(name+"-2", "")
	c := r.cluster(name)
	e1, e2, e3 := r.env(c.ID, "a-"+name, ""), r.env(c.ID, "b-"+name, ""), r.env(c.ID, "c-"+name, "")
	pe := r.projectEnv(p.ID, e1.ID, "", "the binding") // named <cluster>-<namespace> by Galaxias
	r.projectEnv(p2.ID, e1.ID, "", "same name, other project")
	r.projectEnv(p.ID, e2.ID, "shared", "")
	r.projectEnv(p.ID, e3.ID, "shared", "")
	cfg := func(project int64, name string) string {
		return fmt.Sprintf("data \"galaxias_project_environment\" \"pe\" {\n  project_id = %d\n  name = %q\n}", project, name)
	}
	addr := "galaxias_project_environment.pe"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: cfg(p.ID, name+"-a-"+name),
				ConfigStateChecks: []statecheck.StateCheck{
					dsCheck(addr, "id", knownvalue.Int64Exact(pe.ID)),
					dsCheck(addr, "project_id", knownvalue.Int64Exact(p.ID)),
					dsCheck(addr, "environment_id", knownvalue.Int64Exact(e1.ID)),
					dsCheck(addr, "name", knownvalue.StringExact(pe.Name)),
					dsCheck(addr, "description", knownvalue.StringExact("the binding")),
				},
			},
			{Config: cfg(p.ID, "shared"), ExpectError: dsErrText(fmt.Sprintf(`2 records match project environment named "shared" in project %d`, p.ID))},
			{Config: cfg(p.ID, "b-"+name), ExpectError: dsErrText(fmt.Sprintf(`no project environment named %q in project %d`, "b-"+name, p.ID))},
			{Config: cfg(999999999, "shared"), ExpectError: dsNotFound("project", 999999999)},
		},
	})
}

func TestAccDataSourceChartVersions(t *testing.T) {
	r := stackRecords(t)
	name := acctest.Name("dscv")
	p := r.project(name, "")
	app := r.app(client.AppInput{ProjectID: p.ID, Name: name})
	empty := r.app(client.AppInput{ProjectID: p.ID, Name: name + "-empty"})
	// Uploaded out of order, on the branches master, dev, feature-x and x.
	for _, v := range []string{"1.10.0-master-123abc", "1.0.0-dev-aa11bb", "1.0.0-master-fe380d", "1.9.0-master-0a0a0a",
		"2.0.0-dev-bb22cc", "1.0.0", "1.2.0-feature-x-ccddee", "1.2.0-x-ddeeff"} {
		r.chart(name, v)
	}
	r.chart(name+"-other", "3.0.0") // another chart, not the app's
	ds := func(label, extra string, appID int64) string {
		return fmt.Sprintf("data \"galaxias_chart_versions\" %q {\n  app_id = %d\n  %s\n}\n", label, appID, extra)
	}
	cfg := ds("all", "", app.ID) + ds("master", `branch = "master"`, app.ID) + ds("dev", `branch = "dev"`, app.ID) +
		ds("feature_x", `branch = "feature-x"`, app.ID) + ds("x", `branch = "x"`, app.ID) +
		ds("none", `branch = "release"`, app.ID) + ds("empty", "", empty.ID)
	versions := func(label string, latest string, vs ...string) []statecheck.StateCheck {
		list := make([]knownvalue.Check, len(vs))
		for i, v := range vs {
			list[i] = knownvalue.StringExact(v)
		}
		var l knownvalue.Check = knownvalue.Null()
		if latest != "" {
			l = knownvalue.StringExact(latest)
		}
		return []statecheck.StateCheck{
			dsCheck("galaxias_chart_versions."+label, "versions", knownvalue.ListExact(list)),
			dsCheck("galaxias_chart_versions."+label, "latest", l),
		}
	}
	var checks []statecheck.StateCheck
	for _, c := range [][]statecheck.StateCheck{
		versions("all", "2.0.0-dev-bb22cc", "1.0.0-dev-aa11bb", "1.0.0-master-fe380d", "1.0.0", "1.2.0-feature-x-ccddee",
			"1.2.0-x-ddeeff", "1.9.0-master-0a0a0a", "1.10.0-master-123abc", "2.0.0-dev-bb22cc"),
		versions("master", "1.10.0-master-123abc", "1.0.0-master-fe380d", "1.9.0-master-0a0a0a", "1.10.0-master-123abc"),
		versions("dev", "2.0.0-dev-bb22cc", "1.0.0-dev-aa11bb", "2.0.0-dev-bb22cc"),
		versions("feature_x", "1.2.0-feature-x-ccddee", "1.2.0-feature-x-ccddee"),
		versions("x", "1.2.0-x-ddeeff", "1.2.0-x-ddeeff"),
		versions("none", ""),
		versions("empty", ""),
	} {
		checks = append(checks, c...)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg, ConfigStateChecks: checks},
			{ // a new upload shows on the next read
				PreConfig: func() { r.chart(name, "1.11.0-master-abcdef") },
				Config:    ds("master", `branch = "master"`, app.ID),
				ConfigStateChecks: versions("master", "1.11.0-master-abcdef",
					"1.0.0-master-fe380d", "1.9.0-master-0a0a0a", "1.10.0-master-123abc", "1.11.0-master-abcdef"),
			},
			{ // latest is null without versions: a required argument fed from it stops the plan
				Config: ds("none", `branch = "release"`, app.ID) + fmt.Sprintf(`
resource "galaxias_deployment" "d" {
  app_id                 = %d
  project_environment_id = 999999999
  chart_version          = data.galaxias_chart_versions.none.latest
}`, app.ID),
				ExpectError: dsErrText("Missing Configuration for Required Attribute"),
			},
			{Config: ds("gone", "", 999999999), ExpectError: dsNotFound("app", 999999999)},
		},
	})
}

// branch is checked at plan time, before the provider talks to Galaxias.
func TestDataSourceChartVersions_planValidation(t *testing.T) {
	for branch, want := range map[string]string{
		"feature_x": `Invalid branch.*SemVer forbids '_'`,
		"feature/x": `Invalid branch.*"feature/x"`,
		"":          `Invalid branch.*empty`,
		"x.":        `Invalid branch.*ends with '.'`,
	} {
		t.Run(branch, func(t *testing.T) {
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      fmt.Sprintf("data \"galaxias_chart_versions\" \"v\" {\n  app_id = 1\n  branch = %q\n}", branch),
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(`(?s)` + want),
				}},
			})
		})
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      "data \"galaxias_environment\" \"e\" {\n  cluster_id = 1\n  namespace = \"Not_A_Label\"\n}",
			PlanOnly:    true,
			ExpectError: dsErrText("must be a Kubernetes namespace"),
		}},
	})
}
