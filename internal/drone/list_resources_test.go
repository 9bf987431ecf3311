package drone_test

import (
	"context"
	"net/http"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/galaxias/terraform-provider-galaxias/internal/testing/acctest"
)

// The list resources through the served drone provider (provider.Server,
// behind its context guard) as Terraform ≥ 1.14 calls them, against the
// stack's Drone: the CI's Terraform 1.11 cannot run `terraform query`.

// listServer is a protocol server with the list-resource RPCs.
type listServer interface {
	tfprotov6.ProviderServer
	tfprotov6.ListResourceServer
}

type droneLists struct {
	s       listServer
	schemas *tfprotov6.GetProviderSchemaResponse
	ids     *tfprotov6.GetResourceIdentitySchemasResponse
}

// newDroneLists serves the drone provider configured with the given
// attribute values (the others null: from the environment).
func newDroneLists(t *testing.T, settings map[string]string) *droneLists {
	t.Helper()
	served := acctest.Serve(t, "drone", settings)
	s, ok := served.Server.(listServer)
	if !ok {
		t.Fatal("the served drone provider has no ListResource RPC")
	}
	return &droneLists{s: s, schemas: served.Schemas, ids: served.IDs}
}

func (l *droneLists) list(t *testing.T, typeName string, config map[string]string, include bool) []tfprotov6.ListResourceResult {
	t.Helper()
	typ := l.schemas.ListResourceSchemas[typeName].ValueType().(tftypes.Object)
	vals := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		if v, ok := config[name]; ok {
			vals[name] = tftypes.NewValue(at, v)
		} else {
			vals[name] = tftypes.NewValue(at, nil)
		}
	}
	dv, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, vals))
	if err != nil {
		t.Fatal(err)
	}
	stream, err := l.s.ListResource(context.Background(), &tfprotov6.ListResourceRequest{
		TypeName: typeName, Config: &dv, IncludeResource: include, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var out []tfprotov6.ListResourceResult
	for r := range stream.Results {
		out = append(out, r)
	}
	return out
}

// found returns the results' display names, each checked to have no
// diagnostics and an identity whose values joined with "/" are the name,
// and, when include is set, an object equal to what an import by that
// identity and a refresh save.
func (l *droneLists) found(t *testing.T, typeName string, results []tfprotov6.ListResourceResult, include bool) []string {
	t.Helper()
	ctx := context.Background()
	var names []string
	for _, r := range results {
		if len(r.Diagnostics) != 0 || r.Identity == nil {
			t.Fatalf("%s: %q: %v (identity %v)", typeName, r.DisplayName, acctest.ProtoDiags(r.Diagnostics), r.Identity)
		}
		names = append(names, r.DisplayName)
		if !include {
			if r.Resource != nil {
				t.Errorf("%s %q: an object without include_resource", typeName, r.DisplayName)
			}
			continue
		}
		stateType := l.schemas.ResourceSchemas[typeName].ValueType()
		imp, err := l.s.ImportResourceState(ctx, &tfprotov6.ImportResourceStateRequest{TypeName: typeName, Identity: r.Identity})
		if err != nil || len(imp.Diagnostics) != 0 || len(imp.ImportedResources) != 1 {
			t.Fatalf("import %s %q by its listed identity: %v %v", typeName, r.DisplayName, err, acctest.ProtoDiags(imp.Diagnostics))
		}
		in := imp.ImportedResources[0]
		read, err := l.s.ReadResource(ctx, &tfprotov6.ReadResourceRequest{TypeName: typeName, CurrentState: in.State,
			CurrentIdentity: in.Identity, Private: in.Private})
		if err != nil || len(read.Diagnostics) != 0 {
			t.Fatalf("read %s %q: %v %v", typeName, r.DisplayName, err, acctest.ProtoDiags(read.Diagnostics))
		}
		saved, err := read.NewState.Unmarshal(stateType)
		if err != nil {
			t.Fatal(err)
		}
		if r.Resource == nil {
			t.Fatalf("%s %q: no object though include_resource is set", typeName, r.DisplayName)
		}
		got, err := r.Resource.Unmarshal(stateType)
		if err != nil {
			t.Fatal(err)
		}
		if !got.Equal(saved) {
			t.Errorf("%s %q: listed object\n%v\ndiffers from what import and refresh save\n%v", typeName, r.DisplayName, got, saved)
		}
	}
	sort.Strings(names)
	return names
}

func TestAccListResources_repoSecretsCrons(t *testing.T) {
	acctest.PreCheck(t)
	slug := activeRepo(t)
	owner, repo, _ := strings.Cut(slug, "/")
	for _, n := range []string{"list_a", "list_b"} {
		acctest.DroneDo(t, http.MethodPost, acctest.DronePath(t, "api", "repos", owner, repo, "secrets"),
			map[string]any{"name": n, "data": "x"}, nil)
	}
	acctest.DroneDo(t, http.MethodPost, acctest.DronePath(t, "api", "repos", owner, repo, "cron"),
		map[string]any{"name": "nightly", "expr": "@daily", "branch": "main"}, nil)

	l := newDroneLists(t, nil)
	repos := l.found(t, "drone_repo", l.list(t, "drone_repo", nil, false), false)
	if !slices.Contains(repos, slug) {
		t.Errorf("drone_repo lists %v, not the enabled %s", repos, slug)
	}
	l.found(t, "drone_repo", l.list(t, "drone_repo", nil, true)[:1], true)

	in := map[string]string{"repository": slug}
	if got := l.found(t, "drone_secret", l.list(t, "drone_secret", in, true), true); strings.Join(got, ",") != slug+"/list_a,"+slug+"/list_b" {
		t.Errorf("drone_secret lists %v", got)
	}
	if got := l.found(t, "drone_cron", l.list(t, "drone_cron", in, true), true); strings.Join(got, ",") != slug+"/nightly" {
		t.Errorf("drone_cron lists %v", got)
	}
}

func TestAccListResources_orgSecrets(t *testing.T) {
	acctest.PreCheck(t)
	slug := activeRepo(t)
	owner, _, _ := strings.Cut(slug, "/")
	name := strings.ReplaceAll(acctest.Name("org_list"), "-", "_")
	acctest.DroneDo(t, http.MethodPost, acctest.DronePath(t, "api", "secrets", owner),
		map[string]any{"name": name, "data": "x"}, nil)
	acctest.CleanupDrone(t, acctest.DronePath(t, "api", "secrets", owner, name))

	l := newDroneLists(t, nil)
	got := l.found(t, "drone_orgsecret", l.list(t, "drone_orgsecret", map[string]string{"namespace": owner}, true), true)
	if !slices.Contains(got, owner+"/"+name) {
		t.Errorf("drone_orgsecret lists %v, not %s/%s", got, owner, name)
	}
}

// On Drone 0.8: the enabled repositories only, the repository's secrets,
// and a clear error for the cron jobs and organisation secrets it lacks.
func TestDrone08_listResources(t *testing.T) {
	t.Parallel()
	f := fake08(t)
	do08(t, f, "GET", "/api/user/repos?flush=true", nil, nil)
	do08(t, f, "POST", "/api/repos/octocat/hello", nil, nil)
	do08(t, f, "POST", "/api/repos/octocat/hello/secrets", map[string]any{"name": "token", "value": "x"}, nil)

	l := newDroneLists(t, map[string]string{"server": f.URL, "token": "drone08-admin-token"})
	if got := l.found(t, "drone_repo", l.list(t, "drone_repo", nil, true), true); strings.Join(got, ",") != "octocat/hello" {
		t.Errorf("drone_repo on 0.8 lists %v, want only the enabled octocat/hello", got)
	}
	in := map[string]string{"repository": "octocat/hello"}
	if got := l.found(t, "drone_secret", l.list(t, "drone_secret", in, true), true); strings.Join(got, ",") != "octocat/hello/token" {
		t.Errorf("drone_secret on 0.8 lists %v", got)
	}
	for typ, config := range map[string]map[string]string{"drone_cron": in, "drone_orgsecret": {"namespace": "octocat"}} {
		r := l.list(t, typ, config, false)
		if len(r) != 1 || len(r[0].Diagnostics) == 0 || !strings.Contains(r[0].Diagnostics[0].Detail, "Drone ≥ 1.0") {
			t.Errorf("%s on 0.8: %+v", typ, r)
		}
	}
}
