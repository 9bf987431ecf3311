package galaxias_test

import (
	"context"
	"math/big"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/testing/acctest"
)

// The CI's Terraform (1.11) cannot use resource identities, so this drives
// the provider's protocol server as Terraform ≥ 1.12 does: an import block
// with an identity, then the refresh that follows, against a real server.

// attrs decodes an object value of type typ.
func attrs(t *testing.T, v *tfprotov6.DynamicValue, typ tftypes.Type) map[string]tftypes.Value {
	t.Helper()
	raw, err := v.Unmarshal(typ)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]tftypes.Value
	if !raw.IsNull() {
		if err := raw.As(&m); err != nil {
			t.Fatal(err)
		}
	}
	return m
}

func number(t *testing.T, v tftypes.Value) int64 {
	t.Helper()
	var f big.Float
	if v.IsNull() || v.As(&f) != nil {
		t.Fatalf("%v is not a number", v)
	}
	n, _ := f.Int64()
	return n
}

func TestAccIdentity_importAndRefresh(t *testing.T) {
	acctest.PreCheckGalaxias(t)
	api := acctest.Galaxias(t)
	ctx := context.Background()
	p, err := api.CreateProject(ctx, client.ProjectInput{Name: acctest.Name("tf-ident"), Description: "identity"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = api.DeleteProject(context.Background(), p.ID) })

	served := acctest.Serve(t, "galaxias", nil)
	s, schemas, ids := served.Server, served.Schemas, served.IDs
	stateType := schemas.ResourceSchemas["galaxias_project"].ValueType()
	idType := ids.IdentitySchemas["galaxias_project"].ValueType()

	// An import block with identity = { id = <the project's id> }.
	identity, err := tfprotov6.NewDynamicValue(idType, tftypes.NewValue(idType, map[string]tftypes.Value{
		"id": tftypes.NewValue(tftypes.Number, p.ID)}))
	if err != nil {
		t.Fatal(err)
	}
	imp, err := s.ImportResourceState(ctx, &tfprotov6.ImportResourceStateRequest{TypeName: "galaxias_project",
		Identity: &tfprotov6.ResourceIdentityData{IdentityData: &identity}})
	if err != nil || len(imp.Diagnostics) != 0 || len(imp.ImportedResources) != 1 {
		t.Fatalf("import by identity: %v %v", err, acctest.ProtoDiags(imp.Diagnostics))
	}
	in := imp.ImportedResources[0]

	// The refresh after the import reads the project: its identity is the
	// project's id.
	read, err := s.ReadResource(ctx, &tfprotov6.ReadResourceRequest{TypeName: "galaxias_project",
		CurrentState: in.State, CurrentIdentity: in.Identity, Private: in.Private})
	if err != nil || len(read.Diagnostics) != 0 {
		t.Fatalf("read after import: %v %v", err, acctest.ProtoDiags(read.Diagnostics))
	}
	state := attrs(t, read.NewState, stateType)
	var name string
	_ = state["name"].As(&name)
	if number(t, state["id"]) != p.ID || name != p.Name {
		t.Errorf("state after the import by identity: %v, want project %d %q", state, p.ID, p.Name)
	}
	if read.NewIdentity == nil || number(t, attrs(t, read.NewIdentity.IdentityData, idType)["id"]) != p.ID {
		t.Fatalf("identity after read: %v, want id %d", read.NewIdentity, p.ID)
	}

	// A state saved by a provider without identities, whose project was
	// deleted outside Terraform: the refresh removes it, without an error
	// about the missing identity.
	if err := api.DeleteProject(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	gone, err := s.ReadResource(ctx, &tfprotov6.ReadResourceRequest{TypeName: "galaxias_project", CurrentState: read.NewState})
	if err != nil || len(gone.Diagnostics) != 0 {
		t.Fatalf("refresh of a deleted project with no identity in state: %v %v", err, acctest.ProtoDiags(gone.Diagnostics))
	}
	if attrs(t, gone.NewState, stateType) != nil {
		t.Errorf("refresh of a deleted project kept it in state")
	}
}
