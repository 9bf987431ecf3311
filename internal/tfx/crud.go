package tfx

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
)

// Op is the kind of operation a resource was carrying out, as its error
// messages name it ("Failed to create …").
type Op string

// The operations of CRUD. OpComplete is a create whose object exists but
// whose later steps failed.
const (
	OpCreate   Op = "create"
	OpComplete Op = "complete the creation of"
	OpRead     Op = "read"
	OpUpdate   Op = "update"
	OpDelete   Op = "delete"
	OpImport   Op = "import"
)

// Request is what an operation of a resource or a data source gets besides
// its model: the API client, the configuration (for write-only attributes;
// empty in Read, Delete and Import) and the diagnostics, for warnings and
// for the errors an error value cannot carry (see ErrReported).
type Request[C any] struct {
	Client C
	Config tfsdk.Config
	Diags  *diag.Diagnostics
}

// API is what the resources of one API have in common: its error policy.
type API[C any] struct {
	// Provider is the provider's type name, e.g. "galaxias": with a
	// resource's Name, it names the resource type in messages.
	Provider string
	// NotFound reports whether an error says that the object does not
	// exist: Read then removes it from state, and Delete succeeds.
	NotFound func(error) bool
	// Report adds the diagnostic of a failed operation on the object that
	// label names.
	Report func(diags *diag.Diagnostics, op Op, label string, err error)
	// SavePrivate, when set, saves facts about the server in the resource's
	// private state after each operation that reached it.
	SavePrivate func(ctx context.Context, c C, private PrivateState) diag.Diagnostics
}

// PrivateState is the resource's private state in the framework's
// responses.
type PrivateState interface {
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

// ErrReported is what an operation returns when it has added its errors to
// Request.Diags itself: only for what an error value cannot carry (an
// attribute's path, or the framework's diagnostics of reading the
// configuration); any other failure is returned as an error. Alone,
// nothing is saved; wrapped in a PartialError, the model is saved.
var ErrReported = errors.New("reported in the diagnostics")

// ErrNoObject is what Read and Delete return for an object that is gone
// without the API saying so with a not-found error (a Drone repository
// disabled outside Terraform, say): Read removes it from state and Delete
// has nothing to do.
var ErrNoObject = errors.New("the state addresses no object")

// PartialError is the error of an operation that got part of the way: the
// model holds what exists (or may exist) on the server, and it is saved
// before the error is reported (unless it is ErrReported). After a create,
// Terraform taints it, so the next apply replaces it instead of creating a
// duplicate.
type PartialError struct {
	Err error
	Op  Op // what failed, when not the operation itself
}

func (e *PartialError) Error() string { return e.Err.Error() }
func (e *PartialError) Unwrap() error { return e.Err }

// Partial returns a *PartialError for err.
func Partial(err error) error { return &PartialError{Err: err} }

// CRUD describes a resource whose operations decode the model, call the API
// and save the model. Every resource of both providers is one. Each
// operation returns the API's error as it is, or ErrReported; a Create or
// Update that returns an error saves nothing unless it is a PartialError.
type CRUD[C, M any] struct {
	API *API[C]
	// Name is the type name without the provider's prefix, e.g. "secret".
	Name   string
	Schema schema.Schema
	// Label, when set, names an object in messages, e.g.
	// `Drone secret "acme/app/token"`; the default is the type name.
	Label func(*M) string

	Create func(ctx context.Context, o Request[C], m *M) error
	Read   func(ctx context.Context, o Request[C], m *M) error
	Update func(ctx context.Context, o Request[C], plan, prior *M) error
	Delete func(ctx context.Context, o Request[C], m *M) error
	// Import sets, from an import id, the attributes of m that the first
	// Read needs (m starts with every attribute null): most parse the id,
	// some look the object up. Its error is reported as a failed import.
	Import func(ctx context.Context, o Request[C], id string, m *M) error
	// Identity names the attributes that address the object (required).
	Identity Identity

	// Identified, when set, reports whether a state addresses an object
	// (its identity attributes are set). One that does not is removed by
	// Read and skipped by Delete, without a request.
	Identified func(*M) bool

	Validators []resource.ConfigValidator
	// Available, when set, returns the error for a server that lacks this
	// resource's API: a plan-time error, and no request is ever sent. A
	// refresh removes such an object from state with a warning.
	Available func(C) error
	// CheckPlan, when set, adds errors for a plan that the server cannot
	// carry out (prior is nil for a create). It runs at plan time, and
	// again before Create and Update for a plan made before the provider
	// was configured.
	CheckPlan func(ctx context.Context, o Request[C], plan, prior *M)
	// ModifyPlan, when set, plans what ties several attributes together;
	// c is nil (the zero C) while the provider is not configured. What
	// concerns one attribute belongs in that attribute's plan modifiers.
	ModifyPlan func(ctx context.Context, c C, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse)
}

// New returns the framework resource, for a provider's Resources list. A
// CRUD without a family, a name, an operation or Import is a programming
// error: New panics, so that the first test that lists the resources says
// which.
func (s *CRUD[C, M]) New() resource.Resource {
	if s.API == nil || s.Name == "" || s.Create == nil || s.Read == nil || s.Update == nil || s.Delete == nil || s.Import == nil || len(s.Identity) == 0 {
		panic(fmt.Sprintf("tfx.CRUD %q lacks its family, name, an operation, Import or Identity", s.Name))
	}
	return &crudResource[C, M]{crud: s, identity: identitySchema(s.Schema.Attributes, s.Identity)}
}

// crudResource implements the framework's resource interfaces for a CRUD.
type crudResource[C, M any] struct {
	crud       *CRUD[C, M]
	identity   identityschema.Schema
	c          C
	configured bool
}

var (
	_ resource.ResourceWithImportState      = (*crudResource[any, struct{}])(nil)
	_ resource.ResourceWithConfigValidators = (*crudResource[any, struct{}])(nil)
	_ resource.ResourceWithModifyPlan       = (*crudResource[any, struct{}])(nil)
)

func (r *crudResource[C, M]) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + r.crud.Name
}

func (r *crudResource[C, M]) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = r.crud.Schema
}

func (r *crudResource[C, M]) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.c, r.configured = ProviderData[C](req.ProviderData, &resp.Diagnostics)
}

func (r *crudResource[C, M]) ConfigValidators(context.Context) []resource.ConfigValidator {
	return r.crud.Validators
}

func (r *crudResource[C, M]) label(m *M) string {
	if r.crud.Label != nil {
		return r.crud.Label(m)
	}
	return r.crud.API.Provider + "_" + r.crud.Name
}

func (r *crudResource[C, M]) request(config tfsdk.Config, diags *diag.Diagnostics) Request[C] {
	return Request[C]{Client: r.c, Config: config, Diags: diags}
}

func (r *crudResource[C, M]) savePrivate(ctx context.Context, private PrivateState, diags *diag.Diagnostics) {
	if r.crud.API.SavePrivate != nil {
		diags.Append(r.crud.API.SavePrivate(ctx, r.c, private)...)
	}
}

// unavailable returns why the server lacks this resource's API, or nil.
func (r *crudResource[C, M]) unavailable() error {
	if r.crud.Available == nil {
		return nil
	}
	return r.crud.Available(r.c)
}

// identified reports whether a state addresses an object.
func (r *crudResource[C, M]) identified(m *M) bool {
	return r.crud.Identified == nil || r.crud.Identified(m)
}

// usable reports, with errors in diags, whether the server can carry out a
// plan of m.
func (r *crudResource[C, M]) usable(ctx context.Context, o Request[C], m, prior *M) bool {
	if err := r.unavailable(); err != nil {
		o.Diags.AddError(r.label(m)+" is not available on this server", err.Error()+
			". Remove it from the configuration for this server (for example with count = 0).")
		return false
	}
	if r.crud.CheckPlan != nil {
		r.crud.CheckPlan(ctx, o, m, prior)
	}
	return !o.Diags.HasError()
}

// ModifyPlan refuses at plan time what the server cannot do, then lets the
// resource plan what concerns several attributes. With a provider
// configuration still unknown at plan time, the checks run before Create
// and Update, and the resource's ModifyPlan gets the zero client.
func (r *crudResource[C, M]) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	if r.configured {
		var plan M
		var prior *M
		resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
		if !req.State.Raw.IsNull() {
			prior = new(M)
			resp.Diagnostics.Append(req.State.Get(ctx, prior)...)
		}
		if resp.Diagnostics.HasError() || !r.usable(ctx, r.request(req.Config, &resp.Diagnostics), &plan, prior) {
			return
		}
	}
	if r.crud.ModifyPlan != nil {
		r.crud.ModifyPlan(ctx, r.c, req, resp)
	}
}

// notConfigured adds the error of an operation that needs the server while
// the provider is not configured (its settings are unknown), and reports
// whether it did.
func (r *crudResource[C, M]) notConfigured(diags *diag.Diagnostics, what string) bool {
	if r.configured {
		return false
	}
	NotConfigured(diags, r.crud.API.Provider, what+" "+r.crud.API.Provider+"_"+r.crud.Name)
	return true
}

func (r *crudResource[C, M]) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	if r.notConfigured(&resp.Diagnostics, "Creating") {
		return
	}
	var plan M
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	o := r.request(req.Config, &resp.Diagnostics)
	if resp.Diagnostics.HasError() || !r.usable(ctx, o, &plan, nil) {
		return
	}
	err := r.crud.Create(ctx, o, &plan)
	r.save(ctx, OpCreate, &plan, err, &resp.State, &resp.Diagnostics)
	r.setIdentity(ctx, resp.State, resp.Identity)
	r.savePrivate(ctx, resp.Private, &resp.Diagnostics)
}

func (r *crudResource[C, M]) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state M
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	defer r.keepIdentity(ctx, req.State.Raw, resp.Identity) // unless set below
	if !r.identified(&state) {
		resp.State.RemoveResource(ctx) // nothing to read: plan to create it
		return
	}
	if !r.configured {
		// The provider's settings are unknown in this plan (they come from
		// a resource not created yet): keep the prior state, which the
		// framework has already put in resp.State.
		resp.Diagnostics.AddWarning(r.label(&state)+" not refreshed", "The "+r.crud.API.Provider+
			" provider's settings (its address or credentials) are not known yet: they come from a resource that is "+
			"not created yet. The object was not read; its state is kept as it was, and the next plan with a "+
			"configured provider refreshes it.")
		return
	}
	if err := r.unavailable(); err != nil {
		// It cannot exist on this server: a state left by an older
		// provider (or another server) must not block every refresh.
		resp.Diagnostics.AddWarning(r.label(&state)+" removed from state", err.Error()+
			", so the object cannot exist there: it was removed from the state.")
		resp.State.RemoveResource(ctx)
		return
	}
	err := r.crud.Read(ctx, r.request(tfsdk.Config{}, &resp.Diagnostics), &state)
	if r.gone(err) {
		// Deleted outside Terraform: plan to create it again.
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		r.report(&resp.Diagnostics, OpRead, &state, err)
		return
	}
	r.savePrivate(ctx, resp.Private, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	r.setIdentity(ctx, resp.State, resp.Identity)
}

func (r *crudResource[C, M]) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	if r.notConfigured(&resp.Diagnostics, "Updating") {
		return
	}
	var plan, prior M
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	o := r.request(req.Config, &resp.Diagnostics)
	if resp.Diagnostics.HasError() || !r.usable(ctx, o, &plan, &prior) {
		return
	}
	err := r.crud.Update(ctx, o, &plan, &prior)
	r.save(ctx, OpUpdate, &plan, err, &resp.State, &resp.Diagnostics)
	r.setIdentity(ctx, resp.State, resp.Identity)
	r.savePrivate(ctx, resp.Private, &resp.Diagnostics)
}

// save ends a create or update: the model is saved when the operation
// returned no error (even if it added error diagnostics: the object it
// describes may exist, and Terraform then taints a created one) or got
// part of the way (a PartialError); otherwise nothing is, and an update
// keeps the prior state, so the next plan tries again. It runs before
// anything else that can fail (SavePrivate), so that an object the server has
// is never lost from state.
func (r *crudResource[C, M]) save(ctx context.Context, op Op, m *M, err error, state *tfsdk.State, diags *diag.Diagnostics) {
	var partial *PartialError
	if errors.As(err, &partial) {
		if partial.Op != "" {
			op = partial.Op
		}
		err = partial.Err
	}
	if err == nil || partial != nil {
		diags.Append(state.Set(ctx, m)...)
	}
	r.report(diags, op, m, err)
}

// report adds the diagnostic of a failed operation, unless there is no
// error or the operation reported it itself (ErrReported).
func (r *crudResource[C, M]) report(diags *diag.Diagnostics, op Op, m *M, err error) {
	if err != nil && !errors.Is(err, ErrReported) {
		r.crud.API.Report(diags, op, r.label(m), err)
	}
}

// gone reports whether an error of Read or Delete says that the object
// does not exist.
func (r *crudResource[C, M]) gone(err error) bool {
	return errors.Is(err, ErrNoObject) || err != nil && r.crud.API.NotFound(err)
}

func (r *crudResource[C, M]) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state M
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !r.identified(&state) {
		return // nothing can be addressed, so nothing to delete
	}
	if r.notConfigured(&resp.Diagnostics, "Deleting") {
		return
	}
	if err := r.unavailable(); err != nil {
		resp.Diagnostics.AddWarning("Nothing to delete for "+r.label(&state), err.Error()+
			", so the object cannot exist there.")
		return
	}
	if err := r.crud.Delete(ctx, r.request(tfsdk.Config{}, &resp.Diagnostics), &state); !r.gone(err) {
		r.report(&resp.Diagnostics, OpDelete, &state, err)
	}
}
