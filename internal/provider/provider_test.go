package provider

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
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
		if got := fmt.Sprintf("%T", s); got != "*serve.contextGuard" {
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

// serve.ContextGuard does not offer the optional list-resource, action and
// state-store RPCs. That is only right while neither provider has any.
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
		if n := len(resp.ListResourceSchemas) + len(resp.ActionSchemas) + len(resp.StateStoreSchemas); n != 0 {
			t.Errorf("%s has %d list resource, action or state store schemas: wrap those RPCs in serve.ContextGuard", family, n)
		}
	}
}
