package drone

import (
	"context"
	"strings"
	"testing"

	"github.com/drone/drone-go/drone"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/galaxias/terraform-provider-galaxias/internal/drone/client"
)

// TestCheckRepo_nonAdminAdvice: a repository whose throttle was set by hand
// in Drone, managed by a configuration that does not set throttle (as after
// a migration from mavimo/drone, which had no throttle), plans the default.
// With a token that is not a Drone admin the plan fails; its advice must
// name the value Drone has, which is what the configuration must state
// (removing the attribute, which is not there, would not help).
func TestCheckRepo_nonAdminAdvice(t *testing.T) {
	c := &conn{
		Dialect: client.Dialect{Info: client.ServerInfo{Version: "1.10.1"}, Traits: client.Traits{RepoV1Settings: true}},
		self:    drone.User{Login: "developer"},
	}
	prior := repoModel{repoFields: repoFields{
		Trusted:  types.BoolValue(false),
		Timeout:  types.Int64Value(defaultTimeout),
		Throttle: types.Int64Value(2),
	}}
	plan := prior
	plan.Throttle = types.Int64Value(defaultThrottle)
	var diags diag.Diagnostics
	checkRepo(context.Background(), request{Client: c, Diags: &diags}, &plan, &prior)
	if len(diags) != 1 {
		t.Fatalf("want one diagnostic, got %v", diags)
	}
	d := diags[0]
	if d.Summary() != "Drone admin required for throttle" {
		t.Errorf("summary: %q", d.Summary())
	}
	for _, want := range []string{`"developer"`, "Drone has throttle = 2", "set throttle = 2 in the configuration", "or use an admin token"} {
		if !strings.Contains(d.Detail(), want) {
			t.Errorf("detail lacks %q: %s", want, d.Detail())
		}
	}
	if strings.Contains(d.Detail(), "Remove throttle from the configuration") {
		t.Errorf("detail still advises removing an attribute the configuration does not set: %s", d.Detail())
	}
}
