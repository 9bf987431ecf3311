package drone

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/galaxias/terraform-provider-galaxias/internal/tfx"
)

// field is a computed attribute of a data source, read from a Drone object T.
// Data sources declare a table of fields instead of a model struct: the
// table gives both the schema and the state.
type field[T any] struct {
	name, desc string
	value      func(*T) attr.Value
}

func str[T any](name, desc string, get func(*T) string) field[T] {
	return field[T]{name, desc, func(o *T) attr.Value { return types.StringValue(get(o)) }}
}

func boolean[T any](name, desc string, get func(*T) bool) field[T] {
	return field[T]{name, desc, func(o *T) attr.Value { return types.BoolValue(get(o)) }}
}

func integer[T any](name, desc string, get func(*T) int64) field[T] {
	return field[T]{name, desc, func(o *T) attr.Value { return types.Int64Value(get(o)) }}
}

// attributes returns the computed schema attributes of the fields.
func attributes[T any](fields []field[T]) map[string]schema.Attribute {
	attrs := make(map[string]schema.Attribute, len(fields))
	for _, f := range fields {
		switch f.value(new(T)).(type) {
		case types.String:
			attrs[f.name] = schema.StringAttribute{Computed: true, MarkdownDescription: f.desc}
		case types.Bool:
			attrs[f.name] = schema.BoolAttribute{Computed: true, MarkdownDescription: f.desc}
		case types.Int64:
			attrs[f.name] = schema.Int64Attribute{Computed: true, MarkdownDescription: f.desc}
		default:
			panic(fmt.Sprintf("field %s: unsupported type", f.name))
		}
	}
	return attrs
}

// setFields writes the fields of o into state.
func setFields[T any](ctx context.Context, state *tfsdk.State, fields []field[T], o *T, diags *diag.Diagnostics) {
	for _, f := range fields {
		diags.Append(state.SetAttribute(ctx, path.Root(f.name), f.value(o))...)
	}
}

// dataSourceBase gives data sources their client.
type dataSourceBase struct{ client *Client }

func (d *dataSourceBase) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client, _ = tfx.ProviderData[*Client](req.ProviderData, &resp.Diagnostics)
}
