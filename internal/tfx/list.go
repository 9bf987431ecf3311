package tfx

import (
	"context"
	"fmt"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Lister describes the list resource (`terraform query`, Terraform ≥ 1.14)
// of a CRUD resource: L is the model of its configuration (the list
// block's `config`), M the resource's model.
//
// List returns the objects found, each a model with at least the identity
// attributes set, paging through every page. A result carries the
// identity and the display name; with include_resource, each object is
// read with the resource's own Read first, so that the object is what an
// import followed by a refresh would save. An object that Read finds gone
// is left out.
type Lister[C, M, L any] struct {
	Resource *CRUD[C, M]
	Schema   listschema.Schema
	List     func(ctx context.Context, o Request[C], config *L) ([]M, error)
	// DisplayName names an object for people, e.g. "acme/app".
	DisplayName func(*M) string
	// Validators check the list block's config when Terraform validates it.
	Validators []list.ConfigValidator
}

// New returns the framework list resource, for a provider's ListResources.
// A Lister without its resource, List or DisplayName is a programming
// error: New panics.
func (s *Lister[C, M, L]) New() list.ListResource {
	if s.Resource == nil || s.List == nil || s.DisplayName == nil {
		panic("tfx.Lister lacks its resource, List or DisplayName")
	}
	resource := &crudResource[C, M]{crud: s.Resource, identity: identitySchema(s.Resource.Schema.Attributes, s.Resource.Identity)}
	return &listResource[C, M, L]{lister: s, resource: resource}
}

type listResource[C, M, L any] struct {
	lister   *Lister[C, M, L]
	resource *crudResource[C, M]
}

var (
	_ list.ListResourceWithConfigure        = (*listResource[any, struct{}, struct{}])(nil)
	_ list.ListResourceWithConfigValidators = (*listResource[any, struct{}, struct{}])(nil)
)

func (r *listResource[C, M, L]) ListResourceConfigValidators(context.Context) []list.ConfigValidator {
	return r.lister.Validators
}

func (r *listResource[C, M, L]) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + r.lister.Resource.Name
}

func (r *listResource[C, M, L]) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = r.lister.Schema
}

func (r *listResource[C, M, L]) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.resource.c, r.resource.configured = ProviderData[C](req.ProviderData, &resp.Diagnostics)
}

// List finds the objects and streams them, at most req.Limit of them when
// it is set.
func (r *listResource[C, M, L]) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var failed list.ListResult
	fail := func() { stream.Results = list.ListResultsStreamDiagnostics(failed.Diagnostics) }
	typeName := r.lister.Resource.API.Provider + "_" + r.lister.Resource.Name
	if !r.resource.configured {
		NotConfigured(&failed.Diagnostics, r.lister.Resource.API.Provider, "Listing "+typeName)
		fail()
		return
	}
	if err := r.resource.unavailable(); err != nil {
		failed.Diagnostics.AddError(typeName+" is not available on this server", err.Error()+".")
		fail()
		return
	}
	var config L
	failed.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if failed.Diagnostics.HasError() {
		fail()
		return
	}
	found, err := r.lister.List(ctx, r.resource.request(tfsdk.Config{}, &failed.Diagnostics), &config)
	if err != nil {
		r.lister.Resource.API.Report(&failed.Diagnostics, "list", typeName+" objects", err)
	}
	if failed.Diagnostics.HasError() {
		fail()
		return
	}
	// Every result is made before List returns (the reads of
	// include_resource too), so that no request runs under a context that
	// has ended with the RPC (see serve.ContextGuard).
	var results []list.ListResult
	for i := range found {
		if req.Limit > 0 && int64(len(results)) >= req.Limit {
			break
		}
		if result, ok := r.result(ctx, req, &found[i]); ok {
			results = append(results, result)
		}
	}
	stream.Results = slices.Values(results)
}

// result makes the list result of one object; ok is false for an object
// that Read found gone. With include_resource, the object is imported by
// its identity and read, as Terraform imports it.
func (r *listResource[C, M, L]) result(ctx context.Context, req list.ListRequest, m *M) (list.ListResult, bool) {
	result := req.NewListResult(ctx)
	result.DisplayName = r.lister.DisplayName(m)
	seed := r.nullState(ctx)
	result.Diagnostics.Append(seed.Set(ctx, m)...)
	if result.Diagnostics.HasError() {
		return result, true
	}
	result.Identity.Raw = r.resource.identityOf(ctx, seed.Raw)
	if result.Identity.Raw.IsFullyNull() {
		result.Diagnostics.AddError("Incomplete list result", fmt.Sprintf("%s %q has no identity.", r.lister.Resource.Name, result.DisplayName))
		return result, true
	}
	if !req.IncludeResource {
		return result, true
	}
	o := r.resource.request(tfsdk.Config{}, &result.Diagnostics)
	id := r.resource.importID(result.Identity, &result.Diagnostics)
	if id == "" {
		return result, true
	}
	full, err := r.resource.imported(ctx, o, id)
	if err != nil {
		r.resource.report(&result.Diagnostics, OpRead, m, err)
		return result, true
	}
	err = r.lister.Resource.Read(ctx, o, full)
	if r.resource.gone(err) {
		return result, false // deleted since it was listed
	}
	if err != nil {
		r.resource.report(&result.Diagnostics, OpRead, m, err)
		return result, true
	}
	state := r.nullState(ctx)
	result.Diagnostics.Append(state.Set(ctx, full)...)
	result.Resource.Raw = state.Raw
	return result, true
}

func (r *listResource[C, M, L]) nullState(ctx context.Context) tfsdk.State {
	s := r.lister.Resource.Schema
	return tfsdk.State{Schema: s, Raw: tftypes.NewValue(s.Type().TerraformType(ctx), nil)}
}
