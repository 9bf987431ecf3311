package provider

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

func TestFamilyFromExecutable(t *testing.T) {
	for in, want := range map[string]string{
		"/usr/bin/terraform-provider-drone":                "drone",
		"terraform-provider-galaxias":                      "galaxias",
		"/x/terraform-provider-drone_v1.2.3":               "drone",
		`C:\p\terraform-provider-galaxias_v0.1.0_x5.exe`:   "galaxias",
		"/tmp/.cache/provider/terraform-provider-galaxias": "galaxias",
	} {
		got, err := FamilyFromExecutable(in)
		if err != nil || got != want {
			t.Errorf("FamilyFromExecutable(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"terraform-provider-aws", "provider", "terraform-provider-"} {
		if got, err := FamilyFromExecutable(bad); err == nil {
			t.Errorf("FamilyFromExecutable(%q) = %q, want an error", bad, got)
		}
	}
}

func TestFactoryServesEachFamily(t *testing.T) {
	for family := range families {
		f, err := factory(family, "test")
		if err != nil || f() == nil {
			t.Fatalf("Factory(%q): %v", family, err)
		}
	}
	if _, err := factory("nope", "test"); err == nil {
		t.Fatal("Factory(nope) did not fail")
	}
}

func TestServerServesEachFamilyThroughTheGuard(t *testing.T) {
	for _, family := range []string{"drone", "galaxias"} {
		server, err := Server(family, "test")
		if err != nil {
			t.Fatalf("Server(%q): %v", family, err)
		}
		s := server()
		if got := fmt.Sprintf("%T", s); got != "*serve.contextGuard" && got != "*serve.listGuard" {
			t.Errorf("Server(%q) serves %s, want the framework server behind serve.ContextGuard", family, got)
		}
		resp, err := s.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
		if err != nil || len(resp.Diagnostics) != 0 {
			t.Fatalf("%s: GetProviderSchema: %v %v", family, err, resp.Diagnostics)
		}
		if _, ok := resp.ResourceSchemas[family+"_secret"]; family == "drone" && !ok {
			t.Errorf("drone: no drone_secret in the schema")
		}
		if _, ok := resp.ResourceSchemas["galaxias_app"]; family == "galaxias" && !ok {
			t.Errorf("galaxias: no galaxias_app in the schema")
		}
	}
	if _, err := Server("nope", "test"); err == nil {
		t.Fatal("Server(nope) did not fail")
	}
}

// serve.ContextGuard does not offer the optional action and state-store
// RPCs: that is only right while neither provider has any. It offers the
// list-resource RPCs of a server that has them.
func TestServerProvidersHaveNoUnwrappedRPCs(t *testing.T) {
	for family := range families {
		server, err := Server(family, "test")
		if err != nil {
			t.Fatal(err)
		}
		resp, err := server().GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
		if err != nil {
			t.Fatal(err)
		}
		if len(resp.ResourceSchemas) == 0 {
			t.Fatalf("%s: no resource schemas through the guard", family)
		}
		if n := len(resp.ActionSchemas) + len(resp.StateStoreSchemas); n != 0 {
			t.Errorf("%s has %d action or state store schemas: wrap those RPCs in serve.ContextGuard", family, n)
		}
		if _, ok := server().(tfprotov6.ListResourceServer); len(resp.ListResourceSchemas) != 0 && !ok {
			t.Errorf("%s has list resources, but the guarded server does not offer the ListResource RPC", family)
		}
	}
}

// listed are the resource types that have a list resource (`terraform
// query`), by family.
var listed = map[string][]string{
	"galaxias": {"galaxias_app", "galaxias_project_environment", "galaxias_environment", "galaxias_deployment",
		"galaxias_project", "galaxias_cluster", "galaxias_user"},
	"drone": {"drone_repo", "drone_secret", "drone_orgsecret", "drone_cron"},
}

// Every listed type has a list resource schema, served with its resource
// and identity schemas, and with the config attributes it documents.
func TestServerListResourceSchemas(t *testing.T) {
	wantConfig := map[string][]string{
		"galaxias_app": {"project_id"}, "galaxias_project_environment": {"project_id"},
		"galaxias_environment": {"cluster_id"}, "galaxias_deployment": {"project_environment_id", "app_id"},
		"drone_secret": {"repository"}, "drone_orgsecret": {"namespace"}, "drone_cron": {"repository"},
	}
	for family, types := range listed {
		server, err := Server(family, "test")
		if err != nil {
			t.Fatal(err)
		}
		resp, err := server().GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
		if err != nil {
			t.Fatal(err)
		}
		ids, err := server().GetResourceIdentitySchemas(context.Background(), &tfprotov6.GetResourceIdentitySchemasRequest{})
		if err != nil {
			t.Fatal(err)
		}
		for _, typ := range types {
			s, ok := resp.ListResourceSchemas[typ]
			if !ok {
				t.Errorf("%s: no list resource schema", typ)
				continue
			}
			if _, ok := ids.IdentitySchemas[typ]; !ok {
				t.Errorf("%s: a list resource without an identity schema", typ)
			}
			got := map[string]bool{}
			for _, a := range s.Block.Attributes {
				got[a.Name] = true
			}
			for _, name := range wantConfig[typ] {
				if !got[name] {
					t.Errorf("%s: the list config has no %q", typ, name)
				}
			}
			// Terraform validates a list block's config through the guard.
			lists, ok := server().(tfprotov6.ListResourceServer)
			if !ok {
				t.Fatalf("%s: the served provider has no list-resource RPCs", family)
			}
			cfgType := s.ValueType().(tftypes.Object)
			nulls := map[string]tftypes.Value{}
			for name, at := range cfgType.AttributeTypes {
				nulls[name] = tftypes.NewValue(at, nil)
			}
			cfg, err := tfprotov6.NewDynamicValue(cfgType, tftypes.NewValue(cfgType, nulls))
			if err != nil {
				t.Fatal(err)
			}
			// An empty config: refused where an attribute is required.
			v, err := lists.ValidateListResourceConfig(context.Background(), &tfprotov6.ValidateListResourceConfigRequest{TypeName: typ, Config: &cfg})
			if err != nil {
				t.Fatal(err)
			}
			var required []string
			for _, a := range s.Block.Attributes {
				if a.Required {
					required = append(required, a.Name)
				}
			}
			if typ == "galaxias_deployment" { // one of its two filters
				required = []string{"project_environment_id"}
			}
			switch {
			case len(required) == 0 && len(v.Diagnostics) != 0:
				t.Errorf("%s: an empty config refused: %s", typ, v.Diagnostics[0].Detail)
			case len(required) != 0 && (len(v.Diagnostics) == 0 || !strings.Contains(v.Diagnostics[0].Detail, required[0])):
				t.Errorf("%s: an empty config without %v: %+v", typ, required, v.Diagnostics)
			}
		}
	}
}
