package galaxias

import (
	"context"
	"encoding/json"

	"github.com/hashicorp/terraform-plugin-framework/diag"

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
