package galaxias

import (
	"context"
	"fmt"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/tfx"
)

// crud describes one galaxias_* resource type: the one CRUD pattern of both
// providers (tfx.CRUD) with the Galaxias client.
type crud[M any] = tfx.CRUD[*client.Client, M]

// request is what a resource's operation gets besides the model.
type request = tfx.Request[*client.Client]

// galaxiasAPI is what every galaxias_* resource shares: a 404 means gone,
// refusals get advice, and each operation saves in private state the
// dialect of the server that answered (the plan modifiers read it).
var galaxiasAPI = &tfx.API[*client.Client]{
	Provider: "galaxias",
	NotFound: client.IsNotFound,
	Report: func(diags *diag.Diagnostics, op tfx.Op, label string, err error) {
		apiError(diags, string(op)+" "+label, err)
	},
	SavePrivate: saveDialect,
}

// apiError adds the diagnostic of a failed API call. Refusals that every
// server answers in its own way (a duplicate as 409 or 400, a record still
// in use as 409, 412 or a refusal of the provider's own) get a summary that
// says so and what to do.
func apiError(diags *diag.Diagnostics, action string, err error) {
	switch {
	case client.IsDuplicate(err):
		diags.AddError("Failed to "+action+": it already exists", err.Error()+
			"\n\nGalaxias already has a record with this name or key. Choose another one, or bring the existing "+
			"record under Terraform with `terraform import`.")
	case client.IsInUse(err) && client.CodeOf(err) == client.CodeRockConfigDependence:
		// What uses it cannot be deleted there; the error says what to do.
		diags.AddError("Failed to "+action+": it is still in use", err.Error())
	case client.IsInUse(err):
		diags.AddError("Failed to "+action+": it is still in use", err.Error()+
			"\n\nOther records still use it. Delete them (or remove them from this configuration) first; nothing was deleted.")
	case client.IsUnsupported(err):
		diags.AddError("Failed to "+action+": this Galaxias server cannot do it", err.Error())
	default:
		tfx.APIError(diags, action, err)
	}
}

// ignoredError is an update whose answer shows that the server kept an
// attribute as it was: reported instead of saved, so that the state keeps
// the prior value and Terraform never sees an inconsistent result.
type ignoredError struct {
	attr, want, got, advice string
}

func (e *ignoredError) Error() string {
	return fmt.Sprintf("Galaxias accepted the update but kept %s as %s instead of %s: this server cannot change it. %s",
		e.attr, e.got, e.want, e.advice)
}

// checkKept returns an *ignoredError when the answer's value differs from
// the planned one.
func checkKept(attr, planned, answered, advice string) error {
	if planned == answered {
		return nil
	}
	return &ignoredError{attr: "`" + attr + "`", want: strconv.Quote(planned), got: strconv.Quote(answered), advice: advice}
}

// importNumericID imports by the record's numeric id, into the attribute
// that id points at.
func importNumericID[M any](id func(*M) *types.Int64) func(context.Context, request, string, *M) error {
	return func(_ context.Context, _ request, s string, m *M) error {
		n, err := parseID(s, "id")
		if err != nil {
			return err
		}
		*id(m) = types.Int64Value(n)
		return nil
	}
}

// parseID parses a positive integer id.
func parseID(s, what string) (int64, error) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("%s %q must be a positive integer (the record's Galaxias id)", what, s)
	}
	return n, nil
}

// parseIDPair parses an import id "<a>/<b>" with two numeric ids, named a
// and b in its errors.
func parseIDPair(id, a, b string) (x, y int64, err error) {
	parts, err := tfx.SplitID(id, a, b)
	if err != nil {
		return 0, 0, err
	}
	if x, err = parseID(parts[0], a); err != nil {
		return 0, 0, err
	}
	if y, err = parseID(parts[1], b); err != nil {
		return 0, 0, err
	}
	return x, y, nil
}
