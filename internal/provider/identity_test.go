package provider

import (
	"context"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// wantIdentities is each resource's identity: the attributes of its import
// id, in that order.
var wantIdentities = map[string][]string{
	"drone_cron":                   {"id"},
	"drone_orgsecret":              {"name", "namespace"},
	"drone_repo":                   {"repository"},
	"drone_secret":                 {"name", "repository"},
	"drone_template":               {"name", "namespace"},
	"drone_user":                   {"login"},
	"galaxias_app":                 {"id"},
	"galaxias_app_config":          {"app_id", "project_environment_id"},
	"galaxias_cluster":             {"id"},
	"galaxias_deployment":          {"app_id", "project_environment_id"},
	"galaxias_environment":         {"id"},
	"galaxias_project":             {"id"},
	"galaxias_project_environment": {"id", "project_id"},
	"galaxias_user":                {"id"},
}

// Every resource of both providers has an identity (Terraform ≥ 1.12 imports
// by it and checks it on refresh), seen through the protocol server that
// Terraform talks to.
func TestEveryResourceHasAnIdentity(t *testing.T) {
	seen := 0
	for family := range families {
		server, err := Server(family, "test")
		if err != nil {
			t.Fatal(err)
		}
		s := server()
		schemas, err := s.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
		if err != nil || len(schemas.Diagnostics) != 0 {
			t.Fatalf("%s: GetProviderSchema: %v %v", family, err, schemas.Diagnostics)
		}
		ids, err := s.GetResourceIdentitySchemas(context.Background(), &tfprotov6.GetResourceIdentitySchemasRequest{})
		if err != nil || len(ids.Diagnostics) != 0 {
			t.Fatalf("%s: GetResourceIdentitySchemas: %v %v", family, err, ids.Diagnostics)
		}
		for name := range schemas.ResourceSchemas {
			seen++
			id := ids.IdentitySchemas[name]
			if id == nil || len(id.IdentityAttributes) == 0 {
				t.Errorf("%s has no identity", name)
				continue
			}
			var got []string
			for _, a := range id.IdentityAttributes {
				got = append(got, a.Name)
				if !a.RequiredForImport {
					t.Errorf("%s: identity attribute %s is not required for import", name, a.Name)
				}
			}
			slices.Sort(got)
			if want, ok := wantIdentities[name]; !ok || !slices.Equal(got, want) {
				t.Errorf("%s: identity %v, want %v", name, got, want)
			}
		}
	}
	if seen != len(wantIdentities) {
		t.Errorf("%d resources, want the %d of wantIdentities", seen, len(wantIdentities))
	}
}
