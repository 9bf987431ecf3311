package galaxias_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/acctest"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/galaxiasapi"
)

// The CI's Terraform (1.11) cannot run `terraform query`: these tests send
// the ListResource RPC as Terraform ≥ 1.14 does, to the server the binary
// serves (provider.Server, behind its context guard), against a real
// server of either dialect.

// listServer is a protocol server with the list-resource RPCs.
type listServer interface {
	tfprotov6.ProviderServer
	tfprotov6.ListResourceServer
}

type listClient struct {
	s       listServer
	schemas *tfprotov6.GetProviderSchemaResponse
	ids     *tfprotov6.GetResourceIdentitySchemasResponse
}

func newListClient(t *testing.T) *listClient {
	t.Helper()
	served := acctest.Serve(t, "galaxias", nil)
	s, ok := served.Server.(listServer)
	if !ok {
		t.Fatal("the served galaxias provider has no ListResource RPC")
	}
	return &listClient{s: s, schemas: served.Schemas, ids: served.IDs}
}

// list sends ListResource with the config attributes given (the others
// null) and returns the results; limit 0 means none.
func (l *listClient) list(t *testing.T, typeName string, config map[string]tftypes.Value, include bool, limit int64) []tfprotov6.ListResourceResult {
	t.Helper()
	sch, ok := l.schemas.ListResourceSchemas[typeName]
	if !ok {
		t.Fatalf("no list resource schema for %s", typeName)
	}
	typ := sch.ValueType().(tftypes.Object)
	vals := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		if v, ok := config[name]; ok {
			vals[name] = v
		} else {
			vals[name] = tftypes.NewValue(at, nil)
		}
	}
	dv, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, vals))
	if err != nil {
		t.Fatal(err)
	}
	if limit == 0 {
		limit = 1000
	}
	stream, err := l.s.ListResource(context.Background(), &tfprotov6.ListResourceRequest{
		TypeName: typeName, Config: &dv, IncludeResource: include, Limit: limit})
	if err != nil {
		t.Fatal(err)
	}
	var out []tfprotov6.ListResourceResult
	for r := range stream.Results {
		out = append(out, r)
	}
	return out
}

// identity decodes a result's identity.
func (l *listClient) identity(t *testing.T, typeName string, r tfprotov6.ListResourceResult) map[string]tftypes.Value {
	t.Helper()
	if len(r.Diagnostics) != 0 {
		t.Fatalf("%s result: %v", typeName, acctest.ProtoDiags(r.Diagnostics))
	}
	if r.Identity == nil {
		t.Fatalf("%s result %q has no identity", typeName, r.DisplayName)
	}
	return attrs(t, r.Identity.IdentityData, l.ids.IdentitySchemas[typeName].ValueType())
}

// importAndRead imports an object by its identity and refreshes it, as
// Terraform does for an import block, and returns the state it saves.
func (l *listClient) importAndRead(t *testing.T, typeName string, identity *tfprotov6.ResourceIdentityData) tftypes.Value {
	t.Helper()
	ctx := context.Background()
	imp, err := l.s.ImportResourceState(ctx, &tfprotov6.ImportResourceStateRequest{TypeName: typeName, Identity: identity})
	if err != nil || len(imp.Diagnostics) != 0 || len(imp.ImportedResources) != 1 {
		t.Fatalf("import %s by identity: %v %v", typeName, err, acctest.ProtoDiags(imp.Diagnostics))
	}
	in := imp.ImportedResources[0]
	read, err := l.s.ReadResource(ctx, &tfprotov6.ReadResourceRequest{TypeName: typeName, CurrentState: in.State,
		CurrentIdentity: in.Identity, Private: in.Private})
	if err != nil || len(read.Diagnostics) != 0 {
		t.Fatalf("read %s: %v %v", typeName, err, acctest.ProtoDiags(read.Diagnostics))
	}
	v, err := read.NewState.Unmarshal(l.schemas.ResourceSchemas[typeName].ValueType())
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// checkObject checks that a result of include_resource carries the object
// that an import by its identity followed by a refresh saves.
func (l *listClient) checkObject(t *testing.T, typeName string, r tfprotov6.ListResourceResult) {
	t.Helper()
	if r.Resource == nil {
		t.Fatalf("%s %q: no object though include_resource is set", typeName, r.DisplayName)
	}
	got, err := r.Resource.Unmarshal(l.schemas.ResourceSchemas[typeName].ValueType())
	if err != nil {
		t.Fatal(err)
	}
	if saved := l.importAndRead(t, typeName, r.Identity); !got.Equal(saved) {
		t.Errorf("%s %q: the listed object\n%v\ndiffers from what import and refresh save\n%v", typeName, r.DisplayName, got, saved)
	}
}

// byID returns the result whose identity attribute attr is id.
func (l *listClient) byID(t *testing.T, typeName string, results []tfprotov6.ListResourceResult, attr string, id int64) *tfprotov6.ListResourceResult {
	t.Helper()
	for i, r := range results {
		if number(t, l.identity(t, typeName, r)[attr]) == id {
			return &results[i]
		}
	}
	t.Errorf("%s lists no object with %s %d (%d results)", typeName, attr, id, len(results))
	return nil
}

func num(n int64) tftypes.Value { return tftypes.NewValue(tftypes.Number, n) }

// The project environments, environments, clusters and running releases
// of a deployed app, with their objects; a release of another project in
// the same environment is not the app's.
func TestAccListResources_deployed(t *testing.T) {
	r := stackRecords(t)
	name := acctest.Name("lsdep")
	const v = "1.0.0-master-aa11bb"
	d := r.deployable(name, "replicas: 1\n", v)
	p2 := r.project(name+"-2", "")
	pe2 := r.projectEnv(p2.ID, d.env.ID, "", "")
	other := r.app(client.AppInput{ProjectID: p2.ID, Name: name + "-o"})
	r.config(other.ID, pe2.ID, "replicas: 1\n")
	r.chart(other.Name, v)
	ctx := context.Background()
	for _, in := range []client.DeploymentInput{
		{AppID: d.app.ID, ProjectEnvID: d.pe.ID, ChartName: d.app.Name, ChartVersion: v},
		{AppID: other.ID, ProjectEnvID: pe2.ID, ChartName: other.Name, ChartVersion: v},
	} {
		must[*client.Deployment](t)(galaxiasapi.Deploy(ctx, r.api, in))
	}
	t.Cleanup(func() { uninstallAll(t, r.api, d.env.ID) })

	l := newListClient(t)
	const dep = "galaxias_deployment"
	for _, config := range []map[string]tftypes.Value{
		{"project_environment_id": num(d.pe.ID)},
		{"app_id": num(d.app.ID)},
		{"app_id": num(d.app.ID), "project_environment_id": num(d.pe.ID)},
	} {
		results := l.list(t, dep, config, true, 0)
		if len(results) != 1 {
			t.Fatalf("%s %v: %d results, want the app's release: %+v", dep, config, len(results), results)
		}
		id := l.identity(t, dep, results[0])
		if number(t, id["app_id"]) != d.app.ID || number(t, id["project_environment_id"]) != d.pe.ID ||
			results[0].DisplayName != d.app.Name+"-"+d.env.Namespace {
			t.Errorf("%s %v: %q %v", dep, config, results[0].DisplayName, id)
		}
		l.checkObject(t, dep, results[0])
	}
	if got := l.list(t, dep, map[string]tftypes.Value{"app_id": num(other.ID), "project_environment_id": num(d.pe.ID)}, false, 0); len(got) != 0 {
		t.Errorf("%s of another project's app in the project environment: %+v", dep, got)
	}

	pes := l.list(t, "galaxias_project_environment", map[string]tftypes.Value{"project_id": num(d.project.ID)}, true, 0)
	if pe := l.byID(t, "galaxias_project_environment", pes, "id", d.pe.ID); pe != nil {
		if pid := number(t, l.identity(t, "galaxias_project_environment", *pe)["project_id"]); pid != d.project.ID || pe.DisplayName != d.pe.Name {
			t.Errorf("project environment %q of project %d, want %q of %d", pe.DisplayName, pid, d.pe.Name, d.project.ID)
		}
		l.checkObject(t, "galaxias_project_environment", *pe)
	}
	envs := l.list(t, "galaxias_environment", map[string]tftypes.Value{"cluster_id": num(d.cluster.ID)}, true, 0)
	if len(envs) != 1 {
		t.Errorf("galaxias_environment of cluster %d: %d results, want 1", d.cluster.ID, len(envs))
	}
	if e := l.byID(t, "galaxias_environment", envs, "id", d.env.ID); e != nil {
		if e.DisplayName != d.env.Namespace {
			t.Errorf("environment named %q, want %q", e.DisplayName, d.env.Namespace)
		}
		l.checkObject(t, "galaxias_environment", *e)
	}
	l.byID(t, "galaxias_environment", l.list(t, "galaxias_environment", nil, false, 0), "id", d.env.ID)
	if c := l.byID(t, "galaxias_cluster", l.list(t, "galaxias_cluster", nil, true, 0), "id", d.cluster.ID); c != nil {
		if c.DisplayName != d.cluster.Name {
			t.Errorf("cluster named %q, want %q", c.DisplayName, d.cluster.Name)
		}
		l.checkObject(t, "galaxias_cluster", *c)
	}
}

func TestAccListResources_appsOfProject(t *testing.T) {
	acctest.PreCheckGalaxias(t)
	api := acctest.Galaxias(t)
	ctx := context.Background()
	p, err := api.CreateProject(ctx, client.ProjectInput{Name: acctest.Name("tf-list"), Description: "list"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = api.DeleteProject(context.Background(), p.ID) })
	want := map[int64]string{}
	for _, n := range []string{"alpha", "beta", "gamma"} {
		a, err := api.CreateApp(ctx, client.AppInput{ProjectID: p.ID, Name: acctest.Name("tf-list-" + n), Description: n})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = api.DeleteApp(context.Background(), a.ID) })
		want[a.ID] = a.Name
	}

	l := newListClient(t)
	projectID := map[string]tftypes.Value{"project_id": tftypes.NewValue(tftypes.Number, p.ID)}
	results := l.list(t, "galaxias_app", projectID, true, 0)
	if len(results) != len(want) {
		t.Fatalf("galaxias_app lists %d apps of the project, want %d: %+v", len(results), len(want), results)
	}
	for _, r := range results {
		id := number(t, l.identity(t, "galaxias_app", r)["id"])
		if name, ok := want[id]; !ok || r.DisplayName != name {
			t.Errorf("result %q with identity id %d; want one of %v", r.DisplayName, id, want)
		}
		l.checkObject(t, "galaxias_app", r)
	}

	// Without include_resource: identities and names only; with a limit:
	// no more results than it.
	for _, r := range l.list(t, "galaxias_app", projectID, false, 0) {
		if r.Resource != nil {
			t.Errorf("%q carries an object though include_resource is not set", r.DisplayName)
		}
	}
	if n := len(l.list(t, "galaxias_app", projectID, false, 2)); n != 2 {
		t.Errorf("limit 2: %d results", n)
	}
}

func TestAccListResources_projectsAndUsers(t *testing.T) {
	acctest.PreCheckGalaxias(t)
	api := acctest.Galaxias(t)
	ctx := context.Background()
	p, err := api.CreateProject(ctx, client.ProjectInput{Name: acctest.Name("tf-listp"), Description: "list"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = api.DeleteProject(context.Background(), p.ID) })

	l := newListClient(t)
	var names []string
	found := false
	for _, r := range l.list(t, "galaxias_project", nil, false, 0) {
		id := number(t, l.identity(t, "galaxias_project", r)["id"])
		names = append(names, r.DisplayName)
		if id == p.ID {
			found = r.DisplayName == p.Name
		}
	}
	if !found {
		sort.Strings(names)
		t.Errorf("galaxias_project lists no %q with id %d: %s", p.Name, p.ID, strings.Join(names, ", "))
	}
	users := l.list(t, "galaxias_user", nil, true, 0)
	if len(users) == 0 {
		t.Fatal("galaxias_user lists no user (the provider's own login is one)")
	}
	for _, r := range users {
		l.identity(t, "galaxias_user", r)
		if r.DisplayName == "" || r.Resource == nil {
			t.Errorf("user result without a name or an object: %+v", r)
		}
	}
}

func TestAccListResources_deploymentNeedsAFilter(t *testing.T) {
	acctest.PreCheckGalaxias(t)
	l := newListClient(t)
	results := l.list(t, "galaxias_deployment", nil, false, 0)
	if len(results) != 1 || len(results[0].Diagnostics) == 0 ||
		!strings.Contains(results[0].Diagnostics[0].Detail, "project_environment_id, app_id or both") {
		t.Fatalf("galaxias_deployment without config: %+v", results)
	}
}

// A list resource reads every page: 101 apps are more than the client's
// page of 100, on both dialects.
func TestAccListResources_everyPage(t *testing.T) {
	acctest.PreCheckGalaxias(t)
	api := acctest.Galaxias(t)
	ctx := context.Background()
	p, err := api.CreateProject(ctx, client.ProjectInput{Name: acctest.Name("tf-listpg"), Description: "pages"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = api.DeleteProject(context.Background(), p.ID) })
	const n = 101
	want := map[int64]bool{}
	for i := range n {
		a, err := api.CreateApp(ctx, client.AppInput{ProjectID: p.ID, Name: fmt.Sprintf("pg%03d", i)})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = api.DeleteApp(context.Background(), a.ID) })
		want[a.ID] = true
	}
	l := newListClient(t)
	results := l.list(t, "galaxias_app", map[string]tftypes.Value{"project_id": num(p.ID)}, false, 0)
	got := map[int64]bool{}
	for _, r := range results {
		got[number(t, l.identity(t, "galaxias_app", r)["id"])] = true
	}
	if len(results) != n || len(got) != n {
		t.Fatalf("galaxias_app lists %d results (%d distinct apps), want all %d apps", len(results), len(got), n)
	}
	for id := range want {
		if !got[id] {
			t.Errorf("app %d is not listed", id)
		}
	}
}
