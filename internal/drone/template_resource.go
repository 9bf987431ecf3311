package drone

import (
	"context"
	"fmt"
	"net/http"
	"path"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/galaxias/terraform-provider-galaxias/internal/tfx"
)

var _ resource.ResourceWithImportState = (*templateResource)(nil)

// The model implements restObject (checked here: the linter does not follow type
// arguments of embedded generic types).
var _ restObject[templateModel, templateAPI] = (*templateModel)(nil)

// TemplateExtensions are the template kinds Drone 2 renders.
var TemplateExtensions = []string{".yaml", ".yml", ".json", ".jsonnet", ".starlark"}

// templatesSince is the first Drone version with the templates API.
const templatesSince = "2.0"

func newTemplateResource() resource.Resource {
	r := &templateResource{}
	r.explain = r.explainMissingAPI
	return r
}

type templateResource struct {
	restCRUD[templateModel, templateAPI, *templateModel]
}

type templateModel struct {
	ID        types.String `tfsdk:"id"`
	Namespace types.String `tfsdk:"namespace"`
	Name      types.String `tfsdk:"name"`
	Data      types.String `tfsdk:"data"`
}

// templateAPI is the JSON of a Drone 2 template.
type templateAPI struct {
	Name      string `json:"name,omitempty"`
	Namespace string `json:"namespace,omitempty"`
	Data      string `json:"data"`
}

func (m *templateModel) routes() (collection, item string) {
	collection = Path("api", "templates", m.Namespace.ValueString())
	return collection, collection + Path(m.Name.ValueString())
}

func (m *templateModel) label() string {
	return `template "` + m.Namespace.ValueString() + "/" + m.Name.ValueString() + `"`
}

func (m *templateModel) request(_ context.Context, _ tfsdk.Config, prior *templateModel, _ *diag.Diagnostics) any {
	if prior != nil {
		return templateAPI{Data: m.Data.ValueString()}
	}
	return templateAPI{Name: m.Name.ValueString(), Data: m.Data.ValueString()}
}

func (m *templateModel) load(out *templateAPI) {
	if out.Name != "" {
		m.Name = types.StringValue(out.Name)
	}
	m.Data = types.StringValue(out.Data)
	m.ID = types.StringValue(m.Namespace.ValueString() + "/" + m.Name.ValueString())
}

// explainMissingAPI turns the 404 of a server without the templates API into
// an error that says so. Read and Delete are not concerned: a 404 there means
// the template is gone.
func (r *templateResource) explainMissingAPI(ctx context.Context, op string, m *templateModel, err error) error {
	if op == "read" || op == "delete" {
		return err
	}
	return explainNoTemplates(ctx, r.client, m.Namespace.ValueString(), err)
}

// explainNoTemplates checks, after a 404, whether the server has the
// templates API at all, and if not says which Drone version it needs.
func explainNoTemplates(ctx context.Context, c *Client, namespace string, err error) error {
	if !IsNotFound(err) {
		return err
	}
	collection := Path("api", "templates", namespace)
	if lerr := c.Do(ctx, http.MethodGet, collection, nil, nil); !IsNotFound(lerr) {
		return err // the API exists: the 404 is about this template
	}
	version := "an unknown version"
	var v struct {
		Version string `json:"version"`
	}
	if verr := c.Do(ctx, http.MethodGet, "/version", nil, &v); verr == nil && v.Version != "" {
		version = "version " + v.Version
	}
	return fmt.Errorf("%w\n\nThis Drone server (%s) has no templates API: %s answers 404. Templates need Drone %s or "+
		"later; upgrade the server or remove the drone_template resources and data sources", err, version, collection, templatesSince)
}

func (r *templateResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_template"
}

func (r *templateResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A pipeline template of a namespace, which `.drone.yml` files of its repositories " +
			"can use with `kind: template`. Needs Drone " + templatesSince + " or later: Drone 1.x has no " +
			"templates API, and the provider says so instead of failing with a bare 404.",
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

// ImportState takes namespace/name; namespace is set, so the next plan does
// not replace the template.
func (r *templateResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importAttrs(ctx, req, resp, func(p []string) map[string]string {
		return map[string]string{"id": req.ID, "namespace": p[0], "name": p[1]}
	}, "namespace", "name")
}
