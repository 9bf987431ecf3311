package drone

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// checkRepo refuses, at plan time, what Drone would silently ignore, so
// that the plan would never converge: the settings Drone 0.8 does not have,
// unless at their defaults, and changes of admin-only settings by a token
// that is not a Drone system admin. prior is nil on create.
func checkRepo(_ context.Context, o request, plan, prior *repoModel) {
	c, diags := o.Client, o.Diags
	if !c.Traits.RepoV1Settings {
		for _, s := range []struct {
			name string
			v    attr.Value
			def  attr.Value
		}{
			{"throttle", plan.Throttle, types.Int64Value(defaultThrottle)},
			{"ignore_forks", plan.IgnoreForks, types.BoolValue(false)},
			{"ignore_pulls", plan.IgnorePulls, types.BoolValue(false)},
			{"cancel_pulls", plan.CancelPulls, types.BoolValue(false)},
			{"cancel_push", plan.CancelPush, types.BoolValue(false)},
			{"cancel_running", plan.CancelRunning, types.BoolValue(false)},
		} {
			if !s.v.IsUnknown() && !s.v.Equal(s.def) {
				diags.AddAttributeError(path.Root(s.name), s.name+" is not available on "+c.Info.Name(),
					fmt.Sprintf("%s has no %s setting (it needs Drone ≥ 1.0) and would ignore it. Remove %s from the "+
						"configuration, or leave it at its default %s.", c.Info.Name(), s.name, s.name, s.def))
			}
		}
	}
	if c.self.Admin {
		return
	}
	current := repoModel{repoFields: repoFields{
		Trusted:  types.BoolValue(false),
		Timeout:  types.Int64Value(defaultTimeout),
		Throttle: types.Int64Value(defaultThrottle),
	}}
	if prior != nil {
		current = *prior
	}
	adminOnly := func(name string, planned, current attr.Value) {
		if planned.IsUnknown() || planned.Equal(current) {
			return
		}
		diags.AddAttributeError(path.Root(name), "Drone admin required for "+name,
			fmt.Sprintf("%s can only be changed by a Drone system administrator; the provider's token belongs to %q, "+
				"who is not one, and Drone would silently ignore the change. Drone has %s = %s: set %s = %s in "+
				"the configuration to keep it (where the configuration does not set %s, the provider's default "+
				"applies, which is a change), or use an admin token.",
				name, c.self.Login, name, current, name, current, name))
	}
	adminOnly("trusted", plan.Trusted, current.Trusted)
	adminOnly("timeout", plan.Timeout, current.Timeout)
	adminOnly("throttle", plan.Throttle, current.Throttle)
}
