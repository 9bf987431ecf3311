package drone

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
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

// input is a required string argument of a data source.
type input struct {
	name string
	attr schema.StringAttribute
}

func repositoryInput() input {
	return input{"repository", schema.StringAttribute{
		Required:            true,
		MarkdownDescription: "Repository slug `owner/name`.",
		Validators:          []validator.String{tfx.Regex(RepoSlug, "owner/name (letters, digits, '.', '_' and '-')")},
	}}
}

func namespaceInput() input {
	return input{"namespace", schema.StringAttribute{
		Required:            true,
		MarkdownDescription: "Namespace: SCM organisation or user.",
		Validators:          []validator.String{tfx.Regex(Namespace, "an organisation or user name (letters, digits, '.', '_' and '-')")},
	}}
}

func nameInput(name, desc string, validators ...validator.String) input {
	return input{name, schema.StringAttribute{Required: true, MarkdownDescription: desc, Validators: validators}}
}

// lookup describes one drone_* data source read into a model: the one
// data-source pattern of both families (tfx.Lookup) with the Drone
// connection.
type lookup[M any] = tfx.Lookup[*conn, M]

// lookupSchema is the schema of a lookup: the inputs, the computed
// attributes and the id.
func lookupSchema(desc, idDesc string, attrs map[string]schema.Attribute, inputs ...input) schema.Schema {
	for _, in := range inputs {
		attrs[in.name] = in.attr
	}
	attrs["id"] = schema.StringAttribute{Computed: true, MarkdownDescription: idDesc}
	return schema.Schema{MarkdownDescription: desc, Attributes: attrs}
}

// dataSourceBase is what every data source of the family has: the
// connection, the type name, the description, the inputs, and the API it
// needs.
type dataSourceBase struct {
	conn     *conn
	typeName string // after the provider name, e.g. "_repo"
	desc     string
	inputs   []input
	// requires, when set, returns the error for a server that lacks the
	// API: the read fails before any request.
	requires func(*conn) error
}

func (d *dataSourceBase) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.conn, _ = tfx.ProviderData[*conn](req.ProviderData, &resp.Diagnostics)
}

func (d *dataSourceBase) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + d.typeName
}

// schema returns the schema with the inputs added to attrs.
func (d *dataSourceBase) schema(attrs map[string]schema.Attribute) schema.Schema {
	for _, in := range d.inputs {
		attrs[in.name] = in.attr
	}
	return schema.Schema{MarkdownDescription: d.desc, Attributes: attrs}
}

// readInputs returns the configured inputs, in order, after checking that
// the server has the API.
func (d *dataSourceBase) readInputs(ctx context.Context, config tfsdk.Config, diags *diag.Diagnostics) []string {
	if d.conn == nil {
		tfx.NotConfigured(diags, "drone", "Reading data source drone"+d.typeName)
		return nil
	}
	if d.requires != nil {
		if err := d.requires(d.conn); err != nil {
			diags.AddError("Data source drone"+d.typeName+" is not available on this server", err.Error()+
				". Remove it from the configuration for this server (for example with count = 0).")
			return nil
		}
	}
	values := make([]string, len(d.inputs))
	for i, in := range d.inputs {
		var v types.String
		diags.Append(config.GetAttribute(ctx, path.Root(in.name), &v)...)
		values[i] = v.ValueString()
	}
	return values
}

func (d *dataSourceBase) fail(diags *diag.Diagnostics, err error) {
	tfx.APIError(diags, "read data source drone"+d.typeName, err)
}

// objectDataSource reads one Drone object T.
type objectDataSource[T any] struct {
	dataSourceBase
	// get reads the object the inputs name.
	get    func(ctx context.Context, c *conn, in []string) (*T, error)
	fields []field[T]
	// id, when set, computes the id from the inputs and the object (for
	// objects that do not carry it).
	id     func(in []string, out *T) string
	idDesc string
}

func (d *objectDataSource[T]) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := attributes(d.fields)
	if d.id != nil {
		attrs["id"] = schema.StringAttribute{Computed: true, MarkdownDescription: d.idDesc}
	}
	resp.Schema = d.schema(attrs)
}

func (d *objectDataSource[T]) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	in := d.readInputs(ctx, req.Config, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	out, err := d.get(ctx, d.conn, in)
	if err != nil {
		d.fail(&resp.Diagnostics, err)
		return
	}
	setFields(ctx, &resp.State, d.fields, out, &resp.Diagnostics)
	if d.id != nil {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), d.id(in, out))...)
	}
}

// namesDataSource lists the names of Drone objects T (secrets, cron jobs...).
type namesDataSource[T any] struct {
	dataSourceBase
	// list reads the objects the inputs name.
	list     func(ctx context.Context, c *conn, in []string) ([]T, error)
	attr     string // attribute name, e.g. "names"
	listDesc string
	// name returns the name of an item, false to leave it out.
	name func(*T) (string, bool)
}

func (d *namesDataSource[T]) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	idDesc := "`" + strings.TrimPrefix(d.typeName, "_") + "`."
	if len(d.inputs) > 0 {
		idDesc = "The " + d.inputs[0].name + "."
	}
	resp.Schema = d.schema(map[string]schema.Attribute{
		"id": schema.StringAttribute{Computed: true, MarkdownDescription: idDesc},
		d.attr: schema.ListAttribute{
			Computed: true, ElementType: types.StringType, MarkdownDescription: d.listDesc + ", sorted.",
		},
	})
}

func (d *namesDataSource[T]) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	in := d.readInputs(ctx, req.Config, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	items, err := d.list(ctx, d.conn, in)
	if err != nil {
		d.fail(&resp.Diagnostics, err)
		return
	}
	names := []string{}
	for i := range items {
		if n, ok := d.name(&items[i]); ok {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	list, diags := types.ListValueFrom(ctx, types.StringType, names)
	resp.Diagnostics.Append(diags...)
	id := strings.Join(in, "/")
	if id == "" {
		id = strings.TrimPrefix(d.typeName, "_")
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(d.attr), list)...)
}
