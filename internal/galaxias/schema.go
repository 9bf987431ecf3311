package galaxias

import (
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

func idAttribute(desc string) schema.Int64Attribute {
	return schema.Int64Attribute{
		Computed:            true,
		MarkdownDescription: desc,
		PlanModifiers:       []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
	}
}

// idAttributeNoKeep is a computed id that a resource's ModifyPlan manages.
func idAttributeNoKeep(desc string) schema.Int64Attribute {
	return schema.Int64Attribute{Computed: true, MarkdownDescription: desc}
}

// refAttribute is a required id of another record; changing it replaces.
func refAttribute(desc string) schema.Int64Attribute {
	return schema.Int64Attribute{
		Required:            true,
		MarkdownDescription: desc + " Changing it replaces the resource.",
		Validators:          []validator.Int64{int64validator.AtLeast(1)},
		PlanModifiers:       []planmodifier.Int64{int64planmodifier.RequiresReplace()},
	}
}

func descriptionAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		Optional: true, Computed: true, Default: stringdefault.StaticString(""),
		MarkdownDescription: "Free text. Default empty. Updates in place. At most 1024 characters; the public " +
			"re-implementation of Galaxias accepts at most 100, checked at plan time there.",
		Validators: []validator.String{stringvalidator.LengthAtMost(1024)},
	}
}

func computedString(desc string) schema.StringAttribute {
	return schema.StringAttribute{
		Computed: true, MarkdownDescription: desc,
		PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
	}
}

var nameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

// nameValidator: the names Galaxias shows in URLs and Helm release names.
func nameValidator() validator.String {
	return stringvalidator.All(
		stringvalidator.LengthBetween(1, 63),
		stringvalidator.RegexMatches(nameRE, "must start with a letter or digit and hold only letters, digits, '.', '_' and '-'"),
	)
}

// NamespaceRE is a Kubernetes namespace: an RFC 1123 DNS label.
var NamespaceRE = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)

var emailRE = regexp.MustCompile(`^$|^[^@\s]+@[^@\s]+\.[^@\s]+$`)
