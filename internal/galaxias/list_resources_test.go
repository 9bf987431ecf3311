package galaxias_test

import (
	"context"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/provider"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/acctest"
)

// The CI's Terraform (1.11) cannot run `terraform query`: these tests send
// the ListResource RPC as Terraform ≥ 1.14 does, to the server the binary
// serves (provider.Server, behind its context guard), against a real
// server of either dialect.

type listClient struct {
	s       tfprotov6.ProviderServerWithListResource
	schemas *tfprotov6.GetProviderSchemaResponse
	ids     *tfprotov6.GetResourceIdentitySchemasResponse
}

func newListClient(t *testing.T) *listClient {
	t.Helper()
	ctx := context.Background()
	newServer, err := provider.Server("galaxias", "test")
	if err != nil {
		t.Fatal(err)
	}
	s, ok := newServer().(tfprotov6.ProviderServerWithListResource)
	if !ok {
		t.Fatal("the served galaxias provider has no ListResource RPC")
	}
	schemas, err := s.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	typ := schemas.Provider.ValueType().(tftypes.Object)
	nulls := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		nulls[name] = tftypes.NewValue(at, nil)
	}
	config, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, nulls))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := s.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{Config: &config})
	if err != nil || len(resp.Diagnostics) != 0 {
		t.Fatalf("ConfigureProvider: %v %v", err, diagText(resp.Diagnostics))
	}
	ids, err := s.GetResourceIdentitySchemas(ctx, &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil {
		t.Fatal(err)
	}
	return &listClient{s: s, schemas: schemas, ids: ids}
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
		t.Fatalf("%s result: %v", typeName, diagText(r.Diagnostics))
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
		t.Fatalf("import %s by identity: %v %v", typeName, err, diagText(imp.Diagnostics))
	}
	in := imp.ImportedResources[0]
	read, err := l.s.ReadResource(ctx, &tfprotov6.ReadResourceRequest{TypeName: typeName, CurrentState: in.State,
		CurrentIdentity: in.Identity, Private: in.Private})
	if err != nil || len(read.Diagnostics) != 0 {
		t.Fatalf("read %s: %v %v", typeName, err, diagText(read.Diagnostics))
	}
	v, err := read.NewState.Unmarshal(l.schemas.ResourceSchemas[typeName].ValueType())
	if err != nil {
		t.Fatal(err)
	}
	return v
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
	stateType := l.schemas.ResourceSchemas["galaxias_app"].ValueType()
	for _, r := range results {
		id := number(t, l.identity(t, "galaxias_app", r)["id"])
		if name, ok := want[id]; !ok || r.DisplayName != name {
			t.Errorf("result %q with identity id %d; want one of %v", r.DisplayName, id, want)
		}
		if r.Resource == nil {
			t.Fatalf("app %d: no object though include_resource is set", id)
		}
		got, err := r.Resource.Unmarshal(stateType)
		if err != nil {
			t.Fatal(err)
		}
		if saved := l.importAndRead(t, "galaxias_app", r.Identity); !got.Equal(saved) {
			t.Errorf("app %d: the listed object\n%v\ndiffers from what import and refresh save\n%v", id, got, saved)
		}
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
