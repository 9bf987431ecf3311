package tfx

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// A Lookup decodes the configuration into its model, lets Read fill it,
// saves it, and reports a failed read through its API, once.
func TestLookupRead(t *testing.T) {
	s := schema.Schema{Attributes: map[string]schema.Attribute{
		"id":   schema.StringAttribute{Required: true},
		"name": schema.StringAttribute{Computed: true},
	}}
	config := tfsdk.Config{Schema: s, Raw: tftypes.NewValue(widgetType, map[string]tftypes.Value{
		"id": tftypes.NewValue(tftypes.String, "7"), "name": tftypes.NewValue(tftypes.String, nil),
	})}
	read := func(d datasource.DataSource, provider any) (*widget, diag.Diagnostics) {
		var cresp datasource.ConfigureResponse
		d.(datasource.DataSourceWithConfigure).Configure(context.Background(), datasource.ConfigureRequest{ProviderData: provider}, &cresp)
		resp := datasource.ReadResponse{State: tfsdk.State{Schema: s, Raw: tftypes.NewValue(widgetType, nil)}}
		d.Read(context.Background(), datasource.ReadRequest{Config: config}, &resp)
		if resp.State.Raw.IsNull() {
			return nil, resp.Diagnostics
		}
		var m widget
		resp.Diagnostics.Append(resp.State.Get(context.Background(), &m)...)
		return &m, resp.Diagnostics
	}
	var reported []string
	api := &API[string]{Provider: "test", Report: func(diags *diag.Diagnostics, op Op, label string, err error) {
		reported = append(reported, fmt.Sprintf("%s %s: %v", op, label, err))
		diags.AddError("Failed to "+string(op)+" "+label, err.Error())
	}}
	var outcome error
	l := &Lookup[string, widget]{API: api, Name: "thing", Schema: s,
		Read: func(_ context.Context, o Request[string], m *widget) error {
			m.Name = types.StringValue(o.Client + " " + m.ID.ValueString())
			return outcome
		}}

	if m, diags := read(l.New(), "found"); diags.HasError() || m == nil || m.Name.ValueString() != "found 7" {
		t.Errorf("a read: %+v, %q; want name \"found 7\"", m, summaries(diags))
	}
	outcome = errors.New("404 no thing 7")
	if m, diags := read(l.New(), "found"); m != nil || !strings.Contains(summaries(diags), "Error: Failed to read data source test_thing") ||
		len(reported) != 1 {
		t.Errorf("a failed read: %+v, %q, reported %q; want one report through the API and no state", m, summaries(diags), reported)
	}
	outcome, reported = ErrReported, nil
	if _, diags := read(l.New(), "found"); len(reported) != 0 {
		t.Errorf("ErrReported: reported %q (%q), want nothing more", reported, summaries(diags))
	}
	if _, diags := read(l.New(), nil); !strings.Contains(summaries(diags), "Error: The test provider is not configured") {
		t.Errorf("unconfigured: %q", summaries(diags))
	}
	l.Available = func(string) error { return errors.New("the server has no things") }
	if _, diags := read(l.New(), "found"); !strings.Contains(summaries(diags), "Error: Data source test_thing is not available on this server") {
		t.Errorf("unavailable: %q", summaries(diags))
	}
}
