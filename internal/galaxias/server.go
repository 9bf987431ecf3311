package galaxias

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/tfx"
)

// Every galaxias_* resource records in its private state which dialect of
// the Galaxias API the server holding its record speaks (the client detects
// it from the first answers). The attribute plan modifiers below read it, so
// that a plan can say what that server cannot change before anything is
// sent: Terraform gives attribute plan modifiers the private state, not the
// provider's client.

// privateServerKey is the private state key of the record.
const privateServerKey = "galaxias_server"

type serverRecord struct {
	Flavor client.Flavor `json:"flavor"`
}

type privateSetter = tfx.PrivateState

type privateGetter interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
}

// recordServer writes the client's detected flavor into a resource's
// private state; it makes no request and writes nothing while the flavor
// is unknown.
func recordServer(ctx context.Context, c *client.Client, p privateSetter) diag.Diagnostics {
	if c == nil || p == nil {
		return nil
	}
	fl, _ := c.DetectedFlavor()
	if fl == client.FlavorAuto {
		return nil
	}
	b, err := json.Marshal(serverRecord{Flavor: fl})
	if err != nil {
		return nil
	}
	return p.SetKey(ctx, privateServerKey, b)
}

// serverTraits returns the traits of the provider's server as detected so
// far (the credential check of Configure detects it); known is false before.
func serverTraits(c *client.Client) (client.Traits, bool) {
	if c == nil {
		return client.Traits{}, false
	}
	fl, _ := c.DetectedFlavor()
	if fl == client.FlavorAuto {
		return client.Traits{}, false
	}
	return client.TraitsOf(fl), true
}

// recordedTraits returns the traits of the server recorded in a resource's
// private state; ok is false when none is recorded (a record that no
// refresh has read since it was made by an older provider).
func recordedTraits(ctx context.Context, p privateGetter) (client.Traits, bool) {
	if p == nil {
		return client.Traits{}, false
	}
	b, diags := p.GetKey(ctx, privateServerKey)
	if diags.HasError() || len(b) == 0 {
		return client.Traits{}, false
	}
	var rec serverRecord
	if json.Unmarshal(b, &rec) != nil || rec.Flavor == client.FlavorAuto {
		return client.Traits{}, false
	}
	return client.TraitsOf(rec.Flavor), true
}

// flavorName is how diagnostics and docs name a flavor.
func flavorName(fl client.Flavor) string {
	switch fl {
	case client.FlavorRock:
		return "the public re-implementation of Galaxias (API flavor \"rock\")"
	default:
		return "Galaxias as its contract describes it (API flavor \"galaxias\")"
	}
}

// fixedOn is the plan modifier of an attribute that some Galaxias servers
// cannot change in place. Where the record's server can (can(traits) is
// true), or where no server is recorded yet, it does nothing and the update
// checks the answer instead. Where it cannot, a change either replaces the
// resource (replace: where replacing is safe) or is a plan-time error that
// names the attribute, the server and what to do (advice).
type fixedOn struct {
	can     func(client.Traits) bool
	replace bool
	what    string // what the server ignores, e.g. "PUT /v1/projects/{id} ignores `name`"
	advice  string
	// fromNull: a first value where state has none (after an import) is
	// not a change the server must make; the update handles it.
	fromNull bool
}

var (
	_ planmodifier.String = fixedOn{}
	_ planmodifier.Int64  = fixedOn{}
)

func (m fixedOn) Description(ctx context.Context) string { return m.MarkdownDescription(ctx) }

func (m fixedOn) MarkdownDescription(context.Context) string {
	if m.replace {
		return "Replaces the resource where the server cannot change it in place (" + m.what + ")."
	}
	return "A plan-time error where the server cannot change it (" + m.what + ")."
}

func (m fixedOn) PlanModifyString(ctx context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	resp.RequiresReplace = m.modify(ctx, req.State.Raw.IsNull() || req.Plan.Raw.IsNull(), req.Path,
		req.PlanValue, req.StateValue, req.Private, &resp.Diagnostics)
}

func (m fixedOn) PlanModifyInt64(ctx context.Context, req planmodifier.Int64Request, resp *planmodifier.Int64Response) {
	resp.RequiresReplace = m.modify(ctx, req.State.Raw.IsNull() || req.Plan.Raw.IsNull(), req.Path,
		req.PlanValue, req.StateValue, req.Private, &resp.Diagnostics)
}

// modify decides for a planned change of one attribute; it returns whether
// the resource must be replaced.
func (m fixedOn) modify(ctx context.Context, createOrDestroy bool, p path.Path, plan, state attrValue,
	private privateGetter, diags *diag.Diagnostics) bool {
	if createOrDestroy || plan.Equal(state) || m.fromNull && state.IsNull() {
		return false
	}
	traits, ok := recordedTraits(ctx, private)
	if !ok || m.can(traits) {
		return false
	}
	if m.replace {
		return true
	}
	if plan.IsUnknown() {
		return false // known only at apply: the update checks the answer
	}
	diags.AddAttributeError(p, "This Galaxias server cannot change "+p.String(),
		fmt.Sprintf("The record lives on %s, where %s: the change from %s to %s would be lost. %s",
			flavorName(traits.Flavor), m.what, state, plan, m.advice))
	return false
}

// attrValue is a types.String or a types.Int64.
type attrValue = attr.Value

var (
	_ attrValue = types.String{}
	_ attrValue = types.Int64{}
)
