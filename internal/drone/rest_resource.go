package drone

import (
	"context"
	"errors"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"

	"github.com/galaxias/terraform-provider-galaxias/internal/drone/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/tfx"
)

// operation names what a resource was doing, in its error messages.
type operation string

const (
	opCreate   operation = "create"
	opComplete operation = "complete the creation of"
	opRead     operation = "read"
	opUpdate   operation = "update"
	opDelete   operation = "delete"
)

// notSent wraps the error of a step that comes before the create request
// (a lookup it needs): nothing was created, whatever the error.
type notSent struct{ error }

func (e notSent) Unwrap() error { return e.error }

// restObject is the Terraform model of a Drone object (M) with the typed
// calls that create, read, update and delete it; A is the client's type of
// the object. restCRUD implements a resource's CRUD from it.
type restObject[M, A any] interface {
	// label names the object in messages, e.g. `org secret "acme/token"`.
	label() string
	// identified reports whether the model holds the object's identity. A
	// state without it (an empty id) is removed on refresh.
	identified() bool
	// create creates the object. An object returned with an error exists
	// (a later step of the creation failed): it is recorded in state.
	create(ctx context.Context, c *conn, config tfsdk.Config, diags *diag.Diagnostics) (*A, error)
	read(ctx context.Context, c *conn) (*A, error)
	update(ctx context.Context, c *conn, prior *M, config tfsdk.Config, diags *diag.Diagnostics) (*A, error)
	// delete deletes the object; one already gone is not an error.
	delete(ctx context.Context, c *conn) error
	// fromAPI copies Drone's answer into the model, the id included.
	fromAPI(out *A)
	// planned is the object as create asked for it: recorded, tainted, when
	// Drone may have made it but its answer was lost.
	planned() *A
}

// restModel constrains P to be *M implementing restObject.
type restModel[M, A any] interface {
	*M
	restObject[M, A]
}

// restCRUD implements Configure, ModifyPlan, Create, Read, Update and
// Delete for a restModel; resources embed it and add their schema and
// import.
type restCRUD[M, A any, P restModel[M, A]] struct {
	conn *conn
	// requires, when set, returns the error for a server that lacks the
	// object's API: a plan-time error, and no request is ever sent.
	requires func(*conn) error
	// check, when set, adds errors for a plan the server's generation cannot
	// carry out. It runs on the plan, and again before Create and Update for
	// plans made before the provider was configured.
	check func(c *conn, plan P, diags *diag.Diagnostics)
	// adjust, when set, changes the plan for the server's generation.
	adjust func(ctx context.Context, c *conn, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse)
}

func (r *restCRUD[M, A, P]) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.conn, _ = tfx.ProviderData[*conn](req.ProviderData, &resp.Diagnostics)
}

func (r *restCRUD[M, A, P]) fail(diags *diag.Diagnostics, op operation, m P, err error) {
	tfx.APIError(diags, string(op)+" Drone "+m.label(), err)
}

// usable reports, with errors in diags, whether the server can carry out a
// plan of m.
func (r *restCRUD[M, A, P]) usable(m P, diags *diag.Diagnostics) bool {
	if r.requires != nil {
		if err := r.requires(r.conn); err != nil {
			diags.AddError("Drone "+m.label()+" is not available on this server", err.Error()+
				". Remove it from the configuration for this server (for example with count = 0).")
			return false
		}
	}
	if r.check != nil {
		r.check(r.conn, m, diags)
	}
	return !diags.HasError()
}

// ModifyPlan refuses at plan time what the server cannot do. With a
// provider configuration still unknown at plan time, the same checks run
// before Create and Update.
func (r *restCRUD[M, A, P]) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.conn == nil {
		return
	}
	var plan M
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() || !r.usable(P(&plan), &resp.Diagnostics) {
		return
	}
	if r.adjust != nil {
		r.adjust(ctx, r.conn, req, resp)
	}
}

func (r *restCRUD[M, A, P]) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan M
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	m := P(&plan)
	if resp.Diagnostics.HasError() || !r.usable(m, &resp.Diagnostics) {
		return
	}
	out, err := m.create(ctx, r.conn, req.Config, &resp.Diagnostics)
	if out == nil {
		if err == nil {
			return // diagnostics say why
		}
		r.fail(&resp.Diagnostics, opCreate, m, err)
		if client.OutcomeUnknown(err) && !errors.As(err, new(notSent)) {
			// Drone may have made the object (its answer was lost, or the
			// apply was interrupted): record it as sent, tainted, so that
			// the next apply reads it and replaces it instead of posting a
			// duplicate, which Drone refuses on every apply.
			m.fromAPI(m.planned())
			resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
		}
		return
	}
	// The object exists: record it, even when a later step failed, so that
	// the next apply updates or replaces it.
	m.fromAPI(out)
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
	if err != nil {
		r.fail(&resp.Diagnostics, opComplete, m, err)
	}
}

func (r *restCRUD[M, A, P]) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state M
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	m := P(&state)
	if !m.identified() {
		// No object can be addressed from this state: plan to create it.
		resp.State.RemoveResource(ctx)
		return
	}
	if r.requires != nil {
		if err := r.requires(r.conn); err != nil {
			// It cannot exist on this server: a state left by an older
			// provider (or another server) must not block every refresh.
			resp.Diagnostics.AddWarning("Drone "+m.label()+" removed from state", err.Error()+
				", so the object cannot exist there: it was removed from the state.")
			resp.State.RemoveResource(ctx)
			return
		}
	}
	out, err := m.read(ctx, r.conn)
	if client.IsNotFound(err) {
		// Deleted outside Terraform: plan to create it again.
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		r.fail(&resp.Diagnostics, opRead, m, err)
		return
	}
	m.fromAPI(out)
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
}

func (r *restCRUD[M, A, P]) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, prior M
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	m := P(&plan)
	if resp.Diagnostics.HasError() || !r.usable(m, &resp.Diagnostics) {
		return
	}
	out, err := m.update(ctx, r.conn, &prior, req.Config, &resp.Diagnostics)
	if err != nil {
		r.fail(&resp.Diagnostics, opUpdate, m, err)
		return
	}
	if out == nil {
		return // diagnostics say why
	}
	m.fromAPI(out)
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
}

func (r *restCRUD[M, A, P]) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state M
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	m := P(&state)
	if !m.identified() {
		return // nothing can be addressed, so nothing to delete
	}
	if r.requires != nil {
		if err := r.requires(r.conn); err != nil {
			resp.Diagnostics.AddWarning("Nothing to delete for Drone "+m.label(), err.Error()+
				", so the object cannot exist there.")
			return
		}
	}
	if err := m.delete(ctx, r.conn); err != nil {
		r.fail(&resp.Diagnostics, opDelete, m, err)
	}
}

// importAttrs parses an import id made of the named segments and sets the
// attributes that attrs derives from them (the id included).
func importAttrs(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse,
	attrs func(parts []string) map[string]string, segments ...string) {
	parts, err := tfx.SplitID(req.ID, segments...)
	if err != nil {
		resp.Diagnostics.AddError("Invalid import id", err.Error())
		return
	}
	for name, v := range attrs(parts) {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(name), v)...)
	}
}
