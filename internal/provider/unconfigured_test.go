package provider

import (
	"context"
	"fmt"
	"math/big"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// filled is a value of typ with every attribute set (strings "owner/name", numbers
// 1, false, empty collections), so that any resource takes it for a state
// that addresses an object.
func filled(typ tftypes.Type) tftypes.Value {
	switch {
	case typ.Is(tftypes.String):
		return tftypes.NewValue(typ, "owner/name") // an id, a slug or a name
	case typ.Is(tftypes.Number):
		return tftypes.NewValue(typ, big.NewFloat(1))
	case typ.Is(tftypes.Bool):
		return tftypes.NewValue(typ, false)
	}
	switch t := typ.(type) {
	case tftypes.Object:
		attrs := map[string]tftypes.Value{}
		for name, at := range t.AttributeTypes {
			attrs[name] = filled(at)
		}
		return tftypes.NewValue(t, attrs)
	case tftypes.List, tftypes.Set, tftypes.Tuple:
		return tftypes.NewValue(t, []tftypes.Value{})
	case tftypes.Map:
		return tftypes.NewValue(t, map[string]tftypes.Value{})
	}
	panic(fmt.Sprintf("no filled value for %s", typ))
}

func errorsOf(diags diag.Diagnostics) string {
	var s []string
	for _, d := range diags.Errors() {
		s = append(s, d.Summary())
	}
	return strings.Join(s, "; ")
}

// Every resource and data source of both families, with the provider not
// configured (its settings unknown at plan time, as when they come from a
// resource not created yet): no panic; a refresh keeps the state with a
// warning; delete, import and data source reads fail with a clear error.
func TestUnconfiguredProviderNeverCrashes(t *testing.T) {
	ctx := context.Background()
	for family := range families {
		newProvider, err := factory(family, "test")
		if err != nil {
			t.Fatal(err)
		}
		p := newProvider()
		want := "The " + family + " provider is not configured"
		for _, newResource := range p.Resources(ctx) {
			r := newResource()
			var md resource.MetadataResponse
			r.Metadata(ctx, resource.MetadataRequest{ProviderTypeName: family}, &md)
			var sr resource.SchemaResponse
			r.Schema(ctx, resource.SchemaRequest{}, &sr)
			r.(resource.ResourceWithConfigure).Configure(ctx, resource.ConfigureRequest{}, &resource.ConfigureResponse{})
			t.Run(md.TypeName, func(t *testing.T) {
				state := tfsdk.State{Schema: sr.Schema, Raw: filled(sr.Schema.Type().TerraformType(ctx))}
				rresp := resource.ReadResponse{State: state}
				r.Read(ctx, resource.ReadRequest{State: state}, &rresp)
				if rresp.Diagnostics.HasError() || !rresp.State.Raw.Equal(state.Raw) || len(rresp.Diagnostics.Warnings()) != 1 {
					t.Errorf("read: errors %q, state kept %v, %d warnings; want the state kept with one warning",
						errorsOf(rresp.Diagnostics), rresp.State.Raw.Equal(state.Raw), len(rresp.Diagnostics.Warnings()))
				}
				dresp := resource.DeleteResponse{State: state}
				r.Delete(ctx, resource.DeleteRequest{State: state}, &dresp)
				if errorsOf(dresp.Diagnostics) != want {
					t.Errorf("delete: %q, want %q", errorsOf(dresp.Diagnostics), want)
				}
				iresp := resource.ImportStateResponse{State: tfsdk.State{Schema: sr.Schema,
					Raw: tftypes.NewValue(sr.Schema.Type().TerraformType(ctx), nil)}}
				r.(resource.ResourceWithImportState).ImportState(ctx, resource.ImportStateRequest{ID: "1"}, &iresp)
				if errorsOf(iresp.Diagnostics) != want {
					t.Errorf("import: %q, want %q", errorsOf(iresp.Diagnostics), want)
				}
			})
		}
		for _, newDataSource := range p.DataSources(ctx) {
			d := newDataSource()
			var md datasource.MetadataResponse
			d.Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: family}, &md)
			var sr datasource.SchemaResponse
			d.Schema(ctx, datasource.SchemaRequest{}, &sr)
			if c, ok := d.(datasource.DataSourceWithConfigure); ok {
				c.Configure(ctx, datasource.ConfigureRequest{}, &datasource.ConfigureResponse{})
			}
			t.Run(md.TypeName, func(t *testing.T) {
				typ := sr.Schema.Type().TerraformType(ctx)
				resp := datasource.ReadResponse{State: tfsdk.State{Schema: sr.Schema, Raw: tftypes.NewValue(typ, nil)}}
				d.Read(ctx, datasource.ReadRequest{Config: tfsdk.Config{Schema: sr.Schema, Raw: filled(typ)}}, &resp)
				if errorsOf(resp.Diagnostics) != want {
					t.Errorf("read: %q, want %q", errorsOf(resp.Diagnostics), want)
				}
			})
		}
	}
}
