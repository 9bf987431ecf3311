package drone

import (
	"context"
	"fmt"
	"path"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/galaxias/terraform-provider-galaxias/internal/drone/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/tfx"
)

// TemplateExtensions are the template kinds Drone 2 renders.
var TemplateExtensions = []string{".yaml", ".yml", ".json", ".jsonnet", ".starlark"}

// templatesSince is the first Drone version with the templates API.
const templatesSince = "2.0"

// templateResource: import with namespace/name; namespace is set, so the next
// plan does not replace the template.
var templateResource = &crud[templateModel]{
	API:        droneAPI,
	Name:       "template",
	Schema:     templateSchema(),
	Label:      (*templateModel).label,
	Identified: (*templateModel).identified,
	Available:  (*conn).needTemplates,
	Import:     importNamespaceName(func(m *templateModel) (id, namespace, name *types.String) { return &m.ID, &m.Namespace, &m.Name }),
	Identity:   tfx.Identity{"namespace", "name"},
	Create: func(ctx context.Context, o request, m *templateModel) error {
		out, err := o.Client.Templates.Create(ctx, m.toAPI())
		return created(m, out, err)
	},
	Read: func(ctx context.Context, o request, m *templateModel) error {
		out, err := o.Client.Templates.Get(ctx, m.Namespace.ValueString(), m.Name.ValueString())
		return got(m, out, err)
	},
	Update: func(ctx context.Context, o request, m, _ *templateModel) error {
		out, err := o.Client.Templates.Update(ctx, m.toAPI())
		return got(m, out, err)
	},
	Delete: func(ctx context.Context, o request, m *templateModel) error {
		return o.Client.Templates.Delete(ctx, m.Namespace.ValueString(), m.Name.ValueString())
	},
}

type templateModel struct {
	ID        types.String `tfsdk:"id"`
	Namespace types.String `tfsdk:"namespace"`
	Name      types.String `tfsdk:"name"`
	Data      types.String `tfsdk:"data"`
}

func (m *templateModel) label() string {
	return `Drone template "` + m.Namespace.ValueString() + "/" + m.Name.ValueString() + `"`
}

func (m *templateModel) identified() bool {
	return m.ID.ValueString() != "" && m.Namespace.ValueString() != "" && m.Name.ValueString() != ""
}

func (m *templateModel) toAPI() client.Template {
	return client.Template{Namespace: m.Namespace.ValueString(), Name: m.Name.ValueString(), Data: m.Data.ValueString()}
}

func (m *templateModel) planned() *client.Template {
	t := m.toAPI()
	return &t
}

func (m *templateModel) fromAPI(out *client.Template) {
	m.Name = types.StringValue(out.Name)
	m.Data = types.StringValue(out.Data)
	m.ID = types.StringValue(m.Namespace.ValueString() + "/" + m.Name.ValueString())
}

func templateSchema() schema.Schema {
	return schema.Schema{
		MarkdownDescription: "A pipeline template of a namespace, which `.drone.yml` files of its repositories " +
			"can use with `kind: template`. Needs Drone " + templatesSince + " or later: Drone 1.x has no " +
			"templates API, and the provider says so instead of failing with a bare 404; on Drone 0.8 the resource " +
			"is a plan-time error.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed: true, MarkdownDescription: "`namespace/name`.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"namespace": namespaceAttribute("template"),
			"name": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "File name of the template; its extension says how Drone renders it: " +
					"`.yaml` or `.yml`, `.json`, `.jsonnet`, `.starlark`. Changing it replaces the template.",
				Validators:    []validator.String{tfx.StringCheck("a file name ending in "+strings.Join(TemplateExtensions, ", "), checkTemplateName)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"data": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Template content, e.g. `file(\"${path.module}/templates/go.yaml\")`.",
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
		},
	}
}

func checkTemplateName(v string) error {
	if strings.ContainsAny(v, "/ ") {
		return fmt.Errorf("no '/' or spaces allowed")
	}
	ext := path.Ext(v)
	for _, e := range TemplateExtensions {
		if ext == e && len(v) > len(e) {
			return nil
		}
	}
	if ext == "" {
		return fmt.Errorf("no extension")
	}
	return fmt.Errorf("unsupported extension %q", ext)
}
