package drone

import (
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/galaxias/terraform-provider-galaxias/internal/tfx"
)

// The drone_* data sources are tfx.Lookups: each reads into a model (the
// resource's where the attributes are the same) whose inputs are required
// attributes and whose other attributes are computed.

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

func computedString(desc string) schema.StringAttribute {
	return schema.StringAttribute{Computed: true, MarkdownDescription: desc}
}

func computedBool(desc string) schema.BoolAttribute {
	return schema.BoolAttribute{Computed: true, MarkdownDescription: desc}
}

func computedInt64(desc string) schema.Int64Attribute {
	return schema.Int64Attribute{Computed: true, MarkdownDescription: desc}
}

// namesSchema is the schema of a data source that lists names: the
// inputs, the id and the sorted list attr.
func namesSchema(desc, idDesc, attr, listDesc string, inputs ...input) schema.Schema {
	return lookupSchema(desc, idDesc, map[string]schema.Attribute{
		attr: schema.ListAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: listDesc + ", sorted."},
	}, inputs...)
}

// sortedNames returns the names of the items that name keeps, sorted.
func sortedNames[T any](items []T, name func(*T) (string, bool)) []string {
	names := []string{}
	for i := range items {
		if n, ok := name(&items[i]); ok {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	return names
}

// repositoryNamesModel is a list of names of the objects of a repository.
type repositoryNamesModel struct {
	ID         types.String `tfsdk:"id"`
	Repository types.String `tfsdk:"repository"`
	Names      []string     `tfsdk:"names"`
}

// namespaceNamesModel is a list of names of the objects of a namespace.
type namespaceNamesModel struct {
	ID        types.String `tfsdk:"id"`
	Namespace types.String `tfsdk:"namespace"`
	Names     []string     `tfsdk:"names"`
}
