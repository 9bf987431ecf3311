package tfx

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// The outcome rules of CRUD, seen through the framework's own requests and
// responses: what is saved, what is removed, and how errors are reported.

type widget struct {
	ID   types.String `tfsdk:"id"`
	Name types.String `tfsdk:"name"`
}

var errGone = errors.New("404 gone")

var widgetSchema = schema.Schema{Attributes: map[string]schema.Attribute{
	"id":   schema.StringAttribute{Computed: true},
	"name": schema.StringAttribute{Required: true},
}}

var widgetType = tftypes.Object{AttributeTypes: map[string]tftypes.Type{"id": tftypes.String, "name": tftypes.String}}

func widgetValue(id any) tftypes.Value {
	return tftypes.NewValue(widgetType, map[string]tftypes.Value{
		"id": tftypes.NewValue(tftypes.String, id), "name": tftypes.NewValue(tftypes.String, "w"),
	})
}

// widgetResource is a CRUD whose operations end as outcome says.
func widgetResource(outcome func(m *widget, diags *diag.Diagnostics) error, available error) resource.Resource {
	return configured(widgetCRUD(outcome, available))
}

func widgetCRUD(outcome func(m *widget, diags *diag.Diagnostics) error, available error) *CRUD[string, widget] {
	spec := &CRUD[string, widget]{
		API: &API[string]{
			Provider: "test",
			NotFound: func(err error) bool { return errors.Is(err, errGone) },
			Report: func(diags *diag.Diagnostics, op Op, label string, err error) {
				APIError(diags, string(op)+" "+label, err)
			},
		},
		Name:     "thing",
		Schema:   widgetSchema,
		Create:   func(_ context.Context, o Request[string], m *widget) error { return outcome(m, o.Diags) },
		Read:     func(_ context.Context, o Request[string], m *widget) error { return outcome(m, o.Diags) },
		Update:   func(_ context.Context, o Request[string], m, _ *widget) error { return outcome(m, o.Diags) },
		Delete:   func(_ context.Context, o Request[string], m *widget) error { return outcome(m, o.Diags) },
		Import:   func(context.Context, Request[string], string, *widget) error { return nil },
		Identity: Identity{"id"},
	}
	if available != nil {
		spec.Available = func(string) error { return available }
	}
	return spec
}

// configured is the spec's resource after Configure; Metadata is not called,
// as the framework does not call it on every instance.
func configured(spec *CRUD[string, widget]) resource.Resource {
	r := spec.New()
	r.(resource.ResourceWithConfigure).Configure(context.Background(), resource.ConfigureRequest{ProviderData: "client"}, &resource.ConfigureResponse{})
	return r
}

func create(t *testing.T, r resource.Resource) (saved bool, diags diag.Diagnostics) {
	t.Helper()
	req := resource.CreateRequest{Plan: tfsdk.Plan{Schema: widgetSchema, Raw: widgetValue(tftypes.UnknownValue)}}
	resp := resource.CreateResponse{State: tfsdk.State{Schema: widgetSchema, Raw: tftypes.NewValue(widgetType, nil)}}
	r.Create(context.Background(), req, &resp)
	return !resp.State.Raw.IsNull(), resp.Diagnostics
}

func summaries(diags diag.Diagnostics) string {
	var s []string
	for _, d := range diags {
		s = append(s, d.Severity().String()+": "+d.Summary())
	}
	return strings.Join(s, "; ")
}

func TestCRUDCreateOutcomes(t *testing.T) {
	made := func(m *widget) { m.ID = types.StringValue("1") }
	for _, tc := range []struct {
		name      string
		outcome   func(m *widget, diags *diag.Diagnostics) error
		saved     bool
		summaries string
	}{
		{"success", func(m *widget, _ *diag.Diagnostics) error { made(m); return nil }, true, ""},
		{"failure saves nothing", func(*widget, *diag.Diagnostics) error { return errors.New("boom") },
			false, "Error: Failed to create test_thing"},
		{"partial saves the model", func(m *widget, _ *diag.Diagnostics) error { made(m); return Partial(errors.New("boom")) },
			true, "Error: Failed to create test_thing"},
		{"partial names its step", func(m *widget, _ *diag.Diagnostics) error {
			made(m)
			return &PartialError{Err: errors.New("boom"), Op: OpComplete}
		}, true, "Error: Failed to complete the creation of test_thing"},
		{"reported partial", func(m *widget, diags *diag.Diagnostics) error {
			made(m)
			diags.AddAttributeError(path.Root("name"), "not applied", "")
			return Partial(ErrReported)
		}, true, "Error: not applied"},
		{"reported", func(_ *widget, diags *diag.Diagnostics) error {
			diags.AddError("bad input", "")
			return ErrReported
		}, false, "Error: bad input"},
		{"errors in diagnostics without an error save the model", func(m *widget, diags *diag.Diagnostics) error {
			made(m)
			diags.AddError("a later step failed", "")
			return nil
		}, true, "Error: a later step failed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			saved, diags := create(t, widgetResource(tc.outcome, nil))
			if saved != tc.saved || summaries(diags) != tc.summaries {
				t.Errorf("saved %v with %q; want saved %v with %q", saved, summaries(diags), tc.saved, tc.summaries)
			}
		})
	}
}

func TestCRUDUnavailable(t *testing.T) {
	called := false
	r := widgetResource(func(*widget, *diag.Diagnostics) error { called = true; return nil }, errors.New("needs Drone 2"))
	saved, diags := create(t, r)
	if called || saved || !strings.Contains(summaries(diags), "Error: test_thing is not available on this server") {
		t.Errorf("create on a server without the API: called %v, saved %v, %q", called, saved, summaries(diags))
	}

	req := resource.ReadRequest{State: tfsdk.State{Schema: widgetSchema, Raw: widgetValue("1")}}
	resp := resource.ReadResponse{State: req.State}
	r.Read(context.Background(), req, &resp)
	if called || !resp.State.Raw.IsNull() || summaries(resp.Diagnostics) != "Warning: test_thing removed from state" {
		t.Errorf("read on a server without the API: called %v, state %v, %q", called, resp.State.Raw, summaries(resp.Diagnostics))
	}
}

func TestCRUDReadAndDeleteOfGoneObjects(t *testing.T) {
	for _, tc := range []struct {
		err     error
		removed bool
		errors  string
	}{
		{nil, false, ""},
		{errGone, true, ""},
		{ErrNoObject, true, ""},
		{errors.New("boom"), false, "Error: Failed to read test_thing"},
	} {
		r := widgetResource(func(*widget, *diag.Diagnostics) error { return tc.err }, nil)
		req := resource.ReadRequest{State: tfsdk.State{Schema: widgetSchema, Raw: widgetValue("1")}}
		resp := resource.ReadResponse{State: req.State}
		r.Read(context.Background(), req, &resp)
		if resp.State.Raw.IsNull() != tc.removed || summaries(resp.Diagnostics) != tc.errors {
			t.Errorf("read ending with %v: removed %v with %q; want removed %v with %q",
				tc.err, resp.State.Raw.IsNull(), summaries(resp.Diagnostics), tc.removed, tc.errors)
		}

		dreq := resource.DeleteRequest{State: req.State}
		dresp := resource.DeleteResponse{State: req.State}
		r.Delete(context.Background(), dreq, &dresp)
		want := strings.ReplaceAll(tc.errors, "read", "delete")
		if summaries(dresp.Diagnostics) != want {
			t.Errorf("delete ending with %v: %q; want %q", tc.err, summaries(dresp.Diagnostics), want)
		}
	}
}

func TestCRUDNewRefusesAnIncompleteSpec(t *testing.T) {
	defer func() {
		if p := recover(); p == nil || !strings.Contains(p.(string), `"thing"`) {
			t.Errorf("New of a CRUD without Import: recovered %v, want a panic naming it", p)
		}
	}()
	spec := &CRUD[string, widget]{API: &API[string]{}, Name: "thing",
		Create: func(context.Context, Request[string], *widget) error { return nil },
		Read:   func(context.Context, Request[string], *widget) error { return nil },
		Update: func(context.Context, Request[string], *widget, *widget) error { return nil },
		Delete: func(context.Context, Request[string], *widget) error { return nil }}
	spec.New()
}

func TestCRUDUnidentifiedStateIsNeverSent(t *testing.T) {
	calls := 0
	spec := widgetCRUD(func(*widget, *diag.Diagnostics) error { calls++; return nil }, nil)
	spec.Identified = func(m *widget) bool { return m.ID.ValueString() != "" }
	r := configured(spec)
	state := tfsdk.State{Schema: widgetSchema, Raw: widgetValue("")}
	resp := resource.ReadResponse{State: state}
	r.Read(context.Background(), resource.ReadRequest{State: state}, &resp)
	dresp := resource.DeleteResponse{State: state}
	r.Delete(context.Background(), resource.DeleteRequest{State: state}, &dresp)
	if calls != 0 || !resp.State.Raw.IsNull() || resp.Diagnostics.HasError() || dresp.Diagnostics.HasError() {
		t.Errorf("a state with an empty id: %d calls, removed %v, %q %q", calls, resp.State.Raw.IsNull(),
			summaries(resp.Diagnostics), summaries(dresp.Diagnostics))
	}
}

// A created object is saved even when recording facts about the server
// fails afterwards: Record runs after the save.
func TestCRUDCreateSavesBeforeRecord(t *testing.T) {
	spec := widgetCRUD(func(m *widget, _ *diag.Diagnostics) error { m.ID = types.StringValue("1"); return nil }, nil)
	spec.API.SavePrivate = func(context.Context, string, PrivateState) diag.Diagnostics {
		var d diag.Diagnostics
		d.AddError("record failed", "")
		return d
	}
	saved, diags := create(t, configured(spec))
	if !saved || summaries(diags) != "Error: record failed" {
		t.Errorf("create whose Record fails: saved %v with %q; want saved with the record error", saved, summaries(diags))
	}
}

// Without provider data (its settings unknown at plan time) no operation
// reaches the client: Read keeps the prior state with a warning, the
// others fail with a clear error.
func TestCRUDUnconfiguredProvider(t *testing.T) {
	calls := 0
	r := widgetCRUD(func(*widget, *diag.Diagnostics) error { calls++; return nil }, nil).New()
	r.(resource.ResourceWithConfigure).Configure(context.Background(), resource.ConfigureRequest{}, &resource.ConfigureResponse{})
	ctx := context.Background()
	const notConfigured = "Error: The test provider is not configured"

	state := tfsdk.State{Schema: widgetSchema, Raw: widgetValue("1")}
	rresp := resource.ReadResponse{State: state}
	r.Read(ctx, resource.ReadRequest{State: state}, &rresp)
	if !rresp.State.Raw.Equal(state.Raw) || summaries(rresp.Diagnostics) != "Warning: test_thing not refreshed" {
		t.Errorf("read: state %v with %q; want the prior state and a warning", rresp.State.Raw, summaries(rresp.Diagnostics))
	}

	saved, diags := create(t, r)
	if saved || summaries(diags) != notConfigured {
		t.Errorf("create: saved %v with %q", saved, summaries(diags))
	}
	uresp := resource.UpdateResponse{State: state}
	r.Update(ctx, resource.UpdateRequest{Plan: tfsdk.Plan{Schema: widgetSchema, Raw: widgetValue("1")}, State: state}, &uresp)
	if summaries(uresp.Diagnostics) != notConfigured {
		t.Errorf("update: %q", summaries(uresp.Diagnostics))
	}
	dresp := resource.DeleteResponse{State: state}
	r.Delete(ctx, resource.DeleteRequest{State: state}, &dresp)
	if summaries(dresp.Diagnostics) != notConfigured {
		t.Errorf("delete: %q", summaries(dresp.Diagnostics))
	}
	iresp := resource.ImportStateResponse{State: tfsdk.State{Schema: widgetSchema, Raw: tftypes.NewValue(widgetType, nil)}}
	r.(resource.ResourceWithImportState).ImportState(ctx, resource.ImportStateRequest{ID: "1"}, &iresp)
	if summaries(iresp.Diagnostics) != notConfigured {
		t.Errorf("import: %q", summaries(iresp.Diagnostics))
	}
	if calls != 0 {
		t.Errorf("%d operations reached the client", calls)
	}
}
