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
	err := r.spec.create(ctx, op{r.c, req.Config, &resp.Diagnostics}, &plan)
	resp.Diagnostics.Append(recordServer(ctx, r.c, resp.Private)...)
	if err != nil {
		apiError(&resp.Diagnostics, "create "+r.what(), err)
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
		apiError(&resp.Diagnostics, "read "+r.what(), err)
		return
	}
	resp.Diagnostics.Append(recordServer(ctx, r.c, resp.Private)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *crud[M]) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, prior M
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	if resp.Diagnostics.HasError() {
		return
	}
	err := r.spec.update(ctx, op{r.c, req.Config, &resp.Diagnostics}, &plan, &prior)
	resp.Diagnostics.Append(recordServer(ctx, r.c, resp.Private)...)
	if err != nil {
		// The prior state is kept, so the next plan tries again.
		apiError(&resp.Diagnostics, "update "+r.what(), err)
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
		apiError(&resp.Diagnostics, "delete "+r.what(), err)
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
	resp.Diagnostics.Append(recordServer(ctx, r.c, resp.Private)...)
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

// parseIDPair parses an import id "<a>/<b>" with two numeric ids into
// attributes a and b.
func parseIDPair(id, a, b string) (map[string]any, error) {
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
