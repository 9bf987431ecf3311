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
// it from the first answers). The plan modifiers (plan_modifiers.go) read it, so
// that a plan can say what that server cannot change before anything is
// sent: Terraform gives attribute plan modifiers the private state, not the
// provider's client.

// privateServerKey is the private state key of the record.
const privateServerKey = "galaxias_server"

type savedDialect struct {
	Dialect client.Dialect `json:"flavor"` // the key's name predates the word: kept, so older states still read
}

type privateSetter = tfx.PrivateState

type privateGetter interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
}

// saveDialect writes the client's detected dialect into a resource's
// private state; it makes no request and writes nothing while the dialect
// is unknown.
func saveDialect(ctx context.Context, c *client.Client, p privateSetter) diag.Diagnostics {
	if c == nil || p == nil {
		return nil
	}
	fl, _ := c.DetectedDialect()
	if fl == client.DialectAuto {
		return nil
	}
	b, err := json.Marshal(savedDialect{Dialect: fl})
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
	fl, _ := c.DetectedDialect()
	if fl == client.DialectAuto {
		return client.Traits{}, false
	}
	return client.TraitsOf(fl), true
}

// savedTraits returns the traits of the server recorded in a resource's
// private state; ok is false when none is recorded (a record that no
// refresh has read since it was made by an older provider).
func savedTraits(ctx context.Context, p privateGetter) (client.Traits, bool) {
	if p == nil {
		return client.Traits{}, false
	}
	b, diags := p.GetKey(ctx, privateServerKey)
	if diags.HasError() || len(b) == 0 {
		return client.Traits{}, false
	}
	var rec savedDialect
	if json.Unmarshal(b, &rec) != nil || rec.Dialect == client.DialectAuto {
		return client.Traits{}, false
	}
	return client.TraitsOf(rec.Dialect), true
}

// dialectName is how diagnostics and docs name a dialect.
func dialectName(fl client.Dialect) string {
	switch fl {
	case client.DialectRock:
		return "the public re-implementation of Galaxias (API dialect \"rock\")"
	default:
		return "Galaxias as its contract describes it (API dialect \"galaxias\")"
	}
}
