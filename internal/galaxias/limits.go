package galaxias

import (
	"context"
	"fmt"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
)

// Limits of one server that a plan can check before anything is sent: the
// resources' CheckPlan functions, which see the provider's client and so
// the dialect its credential check detected (a create has no private state
// yet to record one).

// descriptionLimit is the CheckPlan of a resource whose only such limit is
// its description's length (max reads it from the server's traits).
func descriptionLimit[M any](get func(*M) types.String, max func(client.Traits) int) func(context.Context, request, *M, *M) {
	return func(_ context.Context, o request, m, _ *M) { checkDescription(o, get(m), max) }
}

func descriptionMax(t client.Traits) int           { return t.DescriptionMax }
func deploymentDescriptionMax(t client.Traits) int { return t.DeploymentDescriptionMax }

// checkDescription adds an error on `description` when it is longer than
// the provider's server accepts. Characters are counted as the server's
// validator counts them (runes).
func checkDescription(o request, desc types.String, max func(client.Traits) int) {
	if desc.IsNull() || desc.IsUnknown() {
		return
	}
	traits, ok := serverTraits(o.Client)
	if !ok {
		return
	}
	limit := max(traits)
	n := utf8.RuneCountInString(desc.ValueString())
	if limit <= 0 || n <= limit {
		return
	}
	o.Diags.AddAttributeError(path.Root("description"), "description is too long for this Galaxias server",
		fmt.Sprintf("`description` has %d characters; %s accepts at most %d, and answers a longer one with an "+
			"error that does not say why (500). Nothing was sent. Shorten `description` to %d characters or fewer.",
			n, dialectName(traits.Dialect), limit, limit))
}
