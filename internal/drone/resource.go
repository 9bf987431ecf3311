package drone

import (
	"context"
	"errors"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/galaxias/terraform-provider-galaxias/internal/drone/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/tfx"
)

// crud describes one drone_* resource type: the one CRUD pattern of both
// providers (tfx.CRUD) with the Drone connection.
type crud[M any] = tfx.CRUD[*conn, M]

// request is what a resource's operation gets besides the model.
type request = tfx.Request[*conn]

// droneAPI is what every drone_* resource shares: a 404 means gone, and an
// error names the object ("Failed to create Drone secret …").
var droneAPI = &tfx.API[*conn]{
	Provider: "drone",
	NotFound: client.IsNotFound,
	Report: func(diags *diag.Diagnostics, op tfx.Op, label string, err error) {
		tfx.APIError(diags, string(op)+" "+label, err)
	},
}

// notSent wraps the error of a step that comes before the create request
// (a lookup it needs): nothing was created, whatever the error.
type notSent struct{ error }

func (e notSent) Unwrap() error { return e.error }

// answered is a model that Drone's answers (A) fill in.
type answered[A any] interface {
	// fromAPI copies Drone's answer into the model, the id included.
	fromAPI(out *A)
	// planned is the object as create asked for it.
	planned() *A
}

// created ends a create with Drone's answer out (nil when the create
// request failed) and the error of the create or of a later step.
//   - An object that exists although a later step failed is saved, and the
//     error reported as a failure to complete the creation.
//   - An object that Drone may have made although its answer was lost (or
//     the apply was interrupted) is saved as planned: Terraform taints it,
//     and the next apply reads and replaces it instead of posting a
//     duplicate, which Drone refuses on every apply.
func created[A any](m answered[A], out *A, err error) error {
	switch {
	case out != nil && err != nil:
		m.fromAPI(out)
		return &tfx.PartialError{Err: err, Op: tfx.OpComplete}
	case out != nil:
		m.fromAPI(out)
		return nil
	case err != nil && client.OutcomeUnknown(err) && !errors.As(err, new(notSent)):
		m.fromAPI(m.planned())
		return tfx.Partial(err)
	default:
		return err
	}
}

// got fills the model with Drone's answer to a read or update.
func got[A any](m answered[A], out *A, err error) error {
	if err != nil {
		return err
	}
	m.fromAPI(out)
	return nil
}

// importSlugName imports "owner/repo/name", the import id of an object of a
// repository, into the attributes that fields points at.
func importSlugName[M any](fields func(*M) (id, repository, name *types.String)) func(context.Context, request, string, *M) error {
	return func(_ context.Context, _ request, id string, m *M) error {
		p, err := tfx.SplitID(id, "owner", "repo", "name")
		if err != nil {
			return err
		}
		i, r, n := fields(m)
		*i, *r, *n = types.StringValue(id), types.StringValue(p[0]+"/"+p[1]), types.StringValue(p[2])
		return nil
	}
}

// importNamespaceName imports "namespace/name", the import id of an object
// of a namespace, into the attributes that fields points at.
func importNamespaceName[M any](fields func(*M) (id, namespace, name *types.String)) func(context.Context, request, string, *M) error {
	return func(_ context.Context, _ request, id string, m *M) error {
		p, err := tfx.SplitID(id, "namespace", "name")
		if err != nil {
			return err
		}
		i, ns, n := fields(m)
		*i, *ns, *n = types.StringValue(id), types.StringValue(p[0]), types.StringValue(p[1])
		return nil
	}
}
