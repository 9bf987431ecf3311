package galaxias

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias/client"
	"github.com/galaxias/terraform-provider-galaxias/internal/tfx"
)

// lookup describes one galaxias_* data source: the one data-source pattern
// of both families (tfx.Lookup) with the Galaxias client.
type lookup[M any] = tfx.Lookup[*client.Client, M]

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
