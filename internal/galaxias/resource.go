package galaxias

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/tfx"
)

// op is what a resource's CRUD functions get besides the model.
type op struct {
	c      *client.Client
	config tfsdk.Config // for write-only attributes; empty in Read and Delete
	diags  *diag.Diagnostics
}

// spec describes one galaxias_* resource whose CRUD is the usual
// decode → call → convert → set. crud implements the framework interfaces
// once for all of them. Each function returns the API error as is; a 404 in
// read removes the resource from state, a 404 in delete is success.
type spec[M any] struct {
	name       string // type name without the provider prefix
	schema     schema.Schema
	create     func(context.Context, op, *M) error
	read       func(context.Context, op, *M) error
	update     func(ctx context.Context, o op, plan, prior *M) error
	delete     func(context.Context, op, *M) error
	importID   func(id string) (map[string]any, error) // attribute values to set before Read
	validators []resource.ConfigValidator
	modifyPlan func(context.Context, *client.Client, resource.ModifyPlanRequest, *resource.ModifyPlanResponse)
}

type crud[M any] struct {
	spec *spec[M]
	c    *client.Client
}

var (
	_ resource.ResourceWithImportState      = (*crud[struct{}])(nil)
	_ resource.ResourceWithConfigValidators = (*crud[struct{}])(nil)
	_ resource.ResourceWithModifyPlan       = (*crud[struct{}])(nil)
)

func newCRUD[M any](s *spec[M]) func() resource.Resource {
	return func() resource.Resource { return &crud[M]{spec: s} }
}

func (r *crud[M]) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + r.spec.name
}

func (r *crud[M]) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = r.spec.schema
}

func (r *crud[M]) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.c, _ = tfx.ProviderData[*client.Client](req.ProviderData, &resp.Diagnostics)
}

func (r *crud[M]) ConfigValidators(context.Context) []resource.ConfigValidator {
	return r.spec.validators
}

func (r *crud[M]) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if r.spec.modifyPlan != nil {
		r.spec.modifyPlan(ctx, r.c, req, resp)
	}
}

func (r *crud[M]) what() string { return "galaxias_" + r.spec.name }

func (r *crud[M]) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan M
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if err := r.spec.create(ctx, op{r.c, req.Config, &resp.Diagnostics}, &plan); err != nil {
		tfx.APIError(&resp.Diagnostics, "create "+r.what(), err)
		var p *partialError
		if errors.As(err, &p) {
			// The record exists: keep it in state (Terraform taints it) so
			// that the next apply replaces it instead of creating a duplicate.
			resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
		}
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *crud[M]) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state M
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	err := r.spec.read(ctx, op{c: r.c, diags: &resp.Diagnostics}, &state)
	if client.IsNotFound(err) {
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		tfx.APIError(&resp.Diagnostics, "read "+r.what(), err)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *crud[M]) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, prior M
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if err := r.spec.update(ctx, op{r.c, req.Config, &resp.Diagnostics}, &plan, &prior); err != nil {
		// The prior state is kept, so the next plan tries again.
		tfx.APIError(&resp.Diagnostics, "update "+r.what(), err)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *crud[M]) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state M
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if err := r.spec.delete(ctx, op{c: r.c, diags: &resp.Diagnostics}, &state); err != nil && !client.IsNotFound(err) {
		tfx.APIError(&resp.Diagnostics, "delete "+r.what(), err)
	}
}

func (r *crud[M]) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	parse := r.spec.importID
	if parse == nil {
		parse = importNumericID
	}
	attrs, err := parse(req.ID)
	if err != nil {
		resp.Diagnostics.AddError("Invalid import id", err.Error())
		return
	}
	for name, v := range attrs {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(name), v)...)
	}
}

// partialError says that create made the record but failed afterwards; the
// model is complete (no unknown values) and must be saved.
type partialError struct{ err error }

func (p *partialError) Error() string { return p.err.Error() }
func (p *partialError) Unwrap() error { return p.err }

// importNumericID accepts the record's numeric id.
func importNumericID(id string) (map[string]any, error) {
	n, err := parseID(id, "id")
	if err != nil {
		return nil, err
	}
	return map[string]any{"id": n}, nil
}

// parseID parses a positive integer id.
func parseID(s, what string) (int64, error) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("%s %q must be a positive integer (the record's Galaxias id)", what, s)
	}
	return n, nil
}

// importIDPair parses "<a>/<b>" with two numeric ids into attributes a and b.
func importIDPair(a, b string) func(string) (map[string]any, error) {
	return func(id string) (map[string]any, error) {
		parts, err := tfx.SplitID(id, a, b)
		if err != nil {
			return nil, err
		}
		x, err := parseID(parts[0], a)
		if err != nil {
			return nil, err
		}
		y, err := parseID(parts[1], b)
		if err != nil {
			return nil, err
		}
		return map[string]any{a: x, b: y}, nil
	}
}
