package acctest

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/galaxias/terraform-provider-galaxias/internal/provider"
)

// Served is a family's provider as the binary serves it (behind the
// context guard), configured, with its schemas: for the tests of what only
// Terraform ≥ 1.12 asks through the protocol (identities, list resources),
// which the CI's Terraform cannot run.
type Served struct {
	Server  tfprotov6.ProviderServer
	Schemas *tfprotov6.GetProviderSchemaResponse
	IDs     *tfprotov6.GetResourceIdentitySchemasResponse
}

// Serve serves the family and configures it with the given provider
// attributes, the others null (taken from the environment, as the stack
// sets it).
func Serve(t testing.TB, family string, settings map[string]string) *Served {
	t.Helper()
	ctx := context.Background()
	newServer, err := provider.Server(family, "test")
	if err != nil {
		t.Fatal(err)
	}
	s := newServer()
	schemas, err := s.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	typ := schemas.Provider.ValueType().(tftypes.Object)
	vals := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		if v, ok := settings[name]; ok {
			vals[name] = tftypes.NewValue(at, v)
		} else {
			vals[name] = tftypes.NewValue(at, nil)
		}
	}
	config, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, vals))
	if err != nil {
		t.Fatal(err)
	}
	if resp, err := s.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{Config: &config}); err != nil || len(resp.Diagnostics) != 0 {
		t.Fatalf("ConfigureProvider: %v %v", err, ProtoDiags(resp.Diagnostics))
	}
	ids, err := s.GetResourceIdentitySchemas(ctx, &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil {
		t.Fatal(err)
	}
	return &Served{Server: s, Schemas: schemas, IDs: ids}
}

// ProtoDiags renders protocol diagnostics for a test's message.
func ProtoDiags(diags []*tfprotov6.Diagnostic) []string {
	var out []string
	for _, d := range diags {
		out = append(out, d.Summary+": "+d.Detail)
	}
	return out
}
