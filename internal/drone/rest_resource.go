package drone

import (
	"context"
	"net/http"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"

	"github.com/galaxias/terraform-provider-galaxias/internal/tfx"
)

// restObject is the Terraform model of a Drone object that lives under a
// collection route: POST on the collection creates it, GET, PATCH and DELETE
// on its item route read, update and delete it. A is the object's JSON.
type restObject[M, A any] interface {
	// routes returns the collection and the item path.
	routes() (collection, item string)
	// label names the object in messages, e.g. `org secret "acme/token"`.
	label() string
	// request builds the body of the create (prior == nil) or update call.
	request(ctx context.Context, config tfsdk.Config, prior *M, diags *diag.Diagnostics) any
	// load copies Drone's answer into the model and sets the id.
	load(out *A)
}

// restModel constrains P to be *M implementing restObject.
type restModel[M, A any] interface {
	*M
	restObject[M, A]
}

// createFollowUp is implemented by models whose create call ignores some
// fields (Drone forces them): the returned body, when not nil, is sent as a
// PATCH right after the creation. It is computed from the plan.
type createFollowUp interface {
	followUp() any
}

// restCRUD implements Configure, Create, Read, Update and Delete for a
// restModel; resources embed it and add their schema and import.
type restCRUD[M, A any, P restModel[M, A]] struct {
	client *Client
	// explain, when set, rewrites the error of a failed call (for example to
	// say which Drone version an API needs).
	explain func(ctx context.Context, op string, m P, err error) error
}

func (r *restCRUD[M, A, P]) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client, _ = tfx.ProviderData[*Client](req.ProviderData, &resp.Diagnostics)
}

func (r *restCRUD[M, A, P]) fail(ctx context.Context, diags *diag.Diagnostics, op string, m P, err error) {
	if r.explain != nil {
		err = r.explain(ctx, op, m, err)
	}
	tfx.APIError(diags, op+" Drone "+m.label(), err)
}

func (r *restCRUD[M, A, P]) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan M
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	m := P(&plan)
	body := m.request(ctx, req.Config, nil, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	var patch any
	if f, ok := any(m).(createFollowUp); ok {
		patch = f.followUp()
	}
	collection, _ := m.routes()
	var out A
	if err := r.client.Do(ctx, http.MethodPost, collection, body, &out); err != nil {
		r.fail(ctx, &resp.Diagnostics, "create", m, err)
		if sent, ok := body.(A); ok && OutcomeUnknown(err) {
			// Drone may have made the object (its answer was lost, or the
			// apply was interrupted): record it as sent, tainted, so that
			// the next apply reads it and replaces it instead of posting a
			// duplicate, which Drone refuses with a 500 on every apply.
			m.load(&sent)
			resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
		}
		return
	}
	m.load(&out)
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
	if patch == nil || resp.Diagnostics.HasError() {
		return
	}
	// The object exists and is in state: a failure here leaves a plan that
	// updates it.
	if err := r.exchange(ctx, http.MethodPatch, m, patch, &resp.State, &resp.Diagnostics); err != nil {
		r.fail(ctx, &resp.Diagnostics, "complete the creation of", m, err)
	}
}

// exchange sends one request to the object's route and, when it succeeds,
// loads Drone's answer into m and records m in state. The error is the
// caller's to report.
func (r *restCRUD[M, A, P]) exchange(ctx context.Context, method string, m P, body any, state *tfsdk.State, diags *diag.Diagnostics) error {
	_, item := m.routes()
	var out A
	if err := r.client.Do(ctx, method, item, body, &out); err != nil {
		return err
	}
	m.load(&out)
	diags.Append(state.Set(ctx, m)...)
	return nil
}

func (r *restCRUD[M, A, P]) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state M
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	m := P(&state)
	err := r.exchange(ctx, http.MethodGet, m, nil, &resp.State, &resp.Diagnostics)
	if IsNotFound(err) {
		// Deleted outside Terraform: plan to create it again.
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		r.fail(ctx, &resp.Diagnostics, "read", m, err)
	}
}

func (r *restCRUD[M, A, P]) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, prior M
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	if resp.Diagnostics.HasError() {
		return
	}
	m := P(&plan)
	body := m.request(ctx, req.Config, &prior, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	if err := r.exchange(ctx, http.MethodPatch, m, body, &resp.State, &resp.Diagnostics); err != nil {
		r.fail(ctx, &resp.Diagnostics, "update", m, err)
	}
}

func (r *restCRUD[M, A, P]) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state M
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	m := P(&state)
	_, item := m.routes()
	if err := r.client.Do(ctx, http.MethodDelete, item, nil, nil); err != nil && !IsNotFound(err) {
		r.fail(ctx, &resp.Diagnostics, "delete", m, err)
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
