package drone_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/galaxias/terraform-provider-galaxias/internal/testing/acctest"
)

// An import block with an identity and the refresh after it, as Terraform
// ≥ 1.12 sends them (the CI's Terraform 1.11 cannot), through the drone
// provider's protocol server against the stack's Drone.

func objectAttrs(t *testing.T, v *tfprotov6.DynamicValue, typ tftypes.Type) map[string]string {
	t.Helper()
	raw, err := v.Unmarshal(typ)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]tftypes.Value
	if err := raw.As(&m); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for k, v := range m {
		var s string
		if v.Type().Is(tftypes.String) && v.As(&s) == nil {
			out[k] = s
		}
	}
	return out
}

func TestAccIdentity_secretImportAndRefresh(t *testing.T) {
	acctest.PreCheck(t)
	slug := activeRepo(t)
	owner, repo, _ := strings.Cut(slug, "/")
	acctest.DroneDo(t, http.MethodPost, acctest.DronePath(t, "api", "repos", owner, repo, "secrets"),
		map[string]any{"name": "ident_token", "data": "x"}, nil)
	ctx := context.Background()

	served := acctest.Serve(t, "drone", nil)
	s, schemas, ids := served.Server, served.Schemas, served.IDs
	idType := ids.IdentitySchemas["drone_secret"].ValueType()
	stateType := schemas.ResourceSchemas["drone_secret"].ValueType()

	identity, err := tfprotov6.NewDynamicValue(idType, tftypes.NewValue(idType, map[string]tftypes.Value{
		"repository": tftypes.NewValue(tftypes.String, slug), "name": tftypes.NewValue(tftypes.String, "ident_token")}))
	if err != nil {
		t.Fatal(err)
	}
	imp, err := s.ImportResourceState(ctx, &tfprotov6.ImportResourceStateRequest{TypeName: "drone_secret",
		Identity: &tfprotov6.ResourceIdentityData{IdentityData: &identity}})
	if err != nil || len(imp.Diagnostics) != 0 || len(imp.ImportedResources) != 1 {
		t.Fatalf("import by identity: %v %v", err, acctest.ProtoDiags(imp.Diagnostics))
	}
	in := imp.ImportedResources[0]
	read, err := s.ReadResource(ctx, &tfprotov6.ReadResourceRequest{TypeName: "drone_secret",
		CurrentState: in.State, CurrentIdentity: in.Identity, Private: in.Private})
	if err != nil || len(read.Diagnostics) != 0 {
		t.Fatalf("read after import: %v %v", err, acctest.ProtoDiags(read.Diagnostics))
	}
	if got := objectAttrs(t, read.NewState, stateType); got["id"] != slug+"/ident_token" || got["repository"] != slug || got["name"] != "ident_token" {
		t.Errorf("state after the import by identity: %v, want secret ident_token of %s", got, slug)
	}
	if read.NewIdentity == nil {
		t.Fatal("no identity after read")
	}
	if got := objectAttrs(t, read.NewIdentity.IdentityData, idType); got["repository"] != slug || got["name"] != "ident_token" || len(got) != 2 {
		t.Errorf("identity after read: %v, want repository %s and name ident_token", got, slug)
	}
}
