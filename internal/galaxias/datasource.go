package galaxias

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/tfx"
)

// lookup describes one galaxias_* data source whose read is the usual
// decode the configuration → find the record → set the state. lookupDS
// implements the framework interfaces once for all of them.
type lookup[M any] struct {
	name   string // type name without the provider prefix
	schema schema.Schema
	// read fills the model, decoded from the configuration, from the API.
	// Its error is shown as is, so it must say what was searched.
	read func(context.Context, *client.Client, *M) error
}

type lookupDS[M any] struct {
	lookup *lookup[M]
	c      *client.Client
}

var _ datasource.DataSourceWithConfigure = (*lookupDS[struct{}])(nil)

func newLookup[M any](l *lookup[M]) func() datasource.DataSource {
	return func() datasource.DataSource { return &lookupDS[M]{lookup: l} }
}

func (d *lookupDS[M]) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + d.lookup.name
}

func (d *lookupDS[M]) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = d.lookup.schema
}

func (d *lookupDS[M]) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.c, _ = tfx.ProviderData[*client.Client](req.ProviderData, &resp.Diagnostics)
}

func (d *lookupDS[M]) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	if d.c == nil {
		tfx.NotConfigured(&resp.Diagnostics, "galaxias", "Reading data source galaxias_"+d.lookup.name)
		return
	}
	var m M
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if err := d.lookup.read(ctx, d.c, &m); err != nil {
		tfx.APIError(&resp.Diagnostics, "read galaxias_"+d.lookup.name, err)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// onlyMatch returns the only item of a list answer that match accepts: list
// filters such as fq are substring searches, so the answer is only a
// candidate set. what names the search for the errors, e.g. `project named
// "x"`.
func onlyMatch[T any](items []T, what string, match func(*T) bool) (*T, error) {
	var found []*T
	for i := range items {
		if match(&items[i]) {
			found = append(found, &items[i])
		}
	}
	switch len(found) {
	case 0:
		return nil, fmt.Errorf("no %s", what)
	case 1:
		return found[0], nil
	default:
		return nil, fmt.Errorf("%d records match %s, expected exactly one: look it up by something unique", len(found), what)
	}
}

// Data source attributes shared by the lookups.

func dsID(desc string) schema.Int64Attribute {
	return schema.Int64Attribute{Computed: true, MarkdownDescription: desc}
}

func dsString(desc string) schema.StringAttribute {
	return schema.StringAttribute{Computed: true, MarkdownDescription: desc}
}

func dsDescription() schema.StringAttribute { return dsString("Free text; empty when not set.") }

// dsRef is a required id of another record, a search key.
func dsRef(desc string) schema.Int64Attribute {
	return schema.Int64Attribute{
		Required: true, MarkdownDescription: desc,
		Validators: []validator.Int64{int64validator.AtLeast(1)},
	}
}

// anyName accepts any name Galaxias may hold: records made outside
// Terraform need not follow the rules of the resources' names.
func anyName() validator.String { return stringvalidator.LengthAtLeast(1) }

// dsKey is a required string search key, matched exactly (case included).
func dsKey(desc string, v validator.String) schema.StringAttribute {
	return schema.StringAttribute{
		Required: true, MarkdownDescription: desc + " Matched exactly, case included.",
		Validators: []validator.String{v},
	}
}
