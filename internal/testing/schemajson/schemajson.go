// Package schemajson writes the schemas of the provider families in the shape
// of `terraform providers schema -json`, asked from the providers' own
// protocol servers rather than through a Terraform CLI.
//
// The docs generator (tfplugindocs, through scripts/docs.sh) reads that
// shape. The CI's Terraform (1.11) reports neither resource identities nor
// list resources, both newer than it; asking the provider directly gives
// the docs every kind of schema the provider serves, whatever the CLI.
package schemajson

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/zclconf/go-cty/cty"
)

// FormatVersion is the format_version written, the one Terraform 1.11 to
// 1.14 write.
const FormatVersion = "1.0"

// Export asks every server (by provider address, such as
// "registry.terraform.io/galaxias/drone") for its schemas and returns them
// as `terraform providers schema -json` reports them.
func Export(ctx context.Context, servers map[string]tfprotov6.ProviderServer) (*tfjson.ProviderSchemas, error) {
	out := &tfjson.ProviderSchemas{FormatVersion: FormatVersion, Schemas: map[string]*tfjson.ProviderSchema{}}
	for address, s := range servers {
		ps, err := export(ctx, s)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", address, err)
		}
		out.Schemas[address] = ps
	}
	return out, nil
}

func export(ctx context.Context, s tfprotov6.ProviderServer) (*tfjson.ProviderSchema, error) {
	resp, err := s.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		return nil, fmt.Errorf("GetProviderSchema: %w", err)
	}
	if err := diagError("GetProviderSchema", resp.Diagnostics); err != nil {
		return nil, err
	}
	ids, err := s.GetResourceIdentitySchemas(ctx, &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil {
		return nil, fmt.Errorf("GetResourceIdentitySchemas: %w", err)
	}
	if err := diagError("GetResourceIdentitySchemas", ids.Diagnostics); err != nil {
		return nil, err
	}
	if len(resp.Functions) != 0 || len(resp.ActionSchemas) != 0 || len(resp.StateStoreSchemas) != 0 {
		// Not exported yet: fail rather than leave them out of the docs.
		return nil, fmt.Errorf("the provider serves functions, actions or state stores, which the exporter does not write yet")
	}
	ps := &tfjson.ProviderSchema{}
	if ps.ConfigSchema, err = schema(resp.Provider); err != nil {
		return nil, fmt.Errorf("provider: %w", err)
	}
	kinds := []struct {
		in  map[string]*tfprotov6.Schema
		out *map[string]*tfjson.Schema
	}{
		{resp.ResourceSchemas, &ps.ResourceSchemas},
		{resp.DataSourceSchemas, &ps.DataSourceSchemas},
		{resp.EphemeralResourceSchemas, &ps.EphemeralResourceSchemas},
		{resp.ListResourceSchemas, &ps.ListResourceSchemas},
	}
	for _, k := range kinds {
		if len(k.in) == 0 {
			continue
		}
		*k.out = map[string]*tfjson.Schema{}
		for name, in := range k.in {
			if (*k.out)[name], err = schema(in); err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
		}
	}
	if len(ids.IdentitySchemas) != 0 {
		ps.ResourceIdentitySchemas = map[string]*tfjson.IdentitySchema{}
		for name, in := range ids.IdentitySchemas {
			if ps.ResourceIdentitySchemas[name], err = identity(in); err != nil {
				return nil, fmt.Errorf("identity of %s: %w", name, err)
			}
		}
	}
	return ps, nil
}

func diagError(rpc string, diags []*tfprotov6.Diagnostic) error {
	var msgs []string
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			msgs = append(msgs, d.Summary+": "+d.Detail)
		}
	}
	if len(msgs) == 0 {
		return nil
	}
	return fmt.Errorf("%s: %s", rpc, strings.Join(msgs, "; "))
}

func schema(in *tfprotov6.Schema) (*tfjson.Schema, error) {
	if in == nil {
		return nil, nil
	}
	b, err := block(in.Block)
	if err != nil {
		return nil, err
	}
	return &tfjson.Schema{Version: unsigned(in.Version), Block: b}, nil
}

func block(in *tfprotov6.SchemaBlock) (*tfjson.SchemaBlock, error) {
	out := &tfjson.SchemaBlock{}
	if in == nil {
		return out, nil
	}
	out.Description = in.Description
	out.DescriptionKind = kind(in.DescriptionKind)
	out.Deprecated = in.Deprecated
	if len(in.Attributes) != 0 {
		out.Attributes = map[string]*tfjson.SchemaAttribute{}
		for _, a := range in.Attributes {
			conv, err := attribute(a)
			if err != nil {
				return nil, fmt.Errorf("attribute %s: %w", a.Name, err)
			}
			out.Attributes[a.Name] = conv
		}
	}
	if len(in.BlockTypes) != 0 {
		out.NestedBlocks = map[string]*tfjson.SchemaBlockType{}
		for _, nb := range in.BlockTypes {
			b, err := block(nb.Block)
			if err != nil {
				return nil, fmt.Errorf("block %s: %w", nb.TypeName, err)
			}
			mode, err := blockNesting(nb.Nesting)
			if err != nil {
				return nil, fmt.Errorf("block %s: %w", nb.TypeName, err)
			}
			out.NestedBlocks[nb.TypeName] = &tfjson.SchemaBlockType{
				NestingMode: mode,
				Block:       b,
				MinItems:    unsigned(nb.MinItems),
				MaxItems:    unsigned(nb.MaxItems),
			}
		}
	}
	return out, nil
}

func attribute(in *tfprotov6.SchemaAttribute) (*tfjson.SchemaAttribute, error) {
	out := &tfjson.SchemaAttribute{
		Description:     in.Description,
		DescriptionKind: kind(in.DescriptionKind),
		Deprecated:      in.Deprecated,
		Required:        in.Required,
		Optional:        in.Optional,
		Computed:        in.Computed,
		Sensitive:       in.Sensitive,
		WriteOnly:       in.WriteOnly,
	}
	if in.NestedType != nil {
		nt := &tfjson.SchemaNestedAttributeType{Attributes: map[string]*tfjson.SchemaAttribute{}}
		switch in.NestedType.Nesting {
		case tfprotov6.SchemaObjectNestingModeSingle:
			nt.NestingMode = tfjson.SchemaNestingModeSingle
		case tfprotov6.SchemaObjectNestingModeList:
			nt.NestingMode = tfjson.SchemaNestingModeList
		case tfprotov6.SchemaObjectNestingModeSet:
			nt.NestingMode = tfjson.SchemaNestingModeSet
		case tfprotov6.SchemaObjectNestingModeMap:
			nt.NestingMode = tfjson.SchemaNestingModeMap
		default:
			return nil, fmt.Errorf("unknown object nesting mode %v", in.NestedType.Nesting)
		}
		for _, a := range in.NestedType.Attributes {
			conv, err := attribute(a)
			if err != nil {
				return nil, fmt.Errorf("attribute %s: %w", a.Name, err)
			}
			nt.Attributes[a.Name] = conv
		}
		out.AttributeNestedType = nt
		return out, nil
	}
	t, err := ctyType(in.Type)
	if err != nil {
		return nil, err
	}
	out.AttributeType = t
	return out, nil
}

func identity(in *tfprotov6.ResourceIdentitySchema) (*tfjson.IdentitySchema, error) {
	out := &tfjson.IdentitySchema{Version: unsigned(in.Version), Attributes: map[string]*tfjson.IdentityAttribute{}}
	for _, a := range in.IdentityAttributes {
		t, err := ctyType(a.Type)
		if err != nil {
			return nil, fmt.Errorf("attribute %s: %w", a.Name, err)
		}
		out.Attributes[a.Name] = &tfjson.IdentityAttribute{
			IdentityType:      t,
			Description:       a.Description,
			RequiredForImport: a.RequiredForImport,
			OptionalForImport: a.OptionalForImport,
		}
	}
	return out, nil
}

// ctyType converts a protocol type to the cty type Terraform writes: both
// share one JSON form.
func ctyType(t tftypes.Type) (cty.Type, error) {
	if t == nil {
		return cty.NilType, fmt.Errorf("no type")
	}
	raw, err := json.Marshal(t)
	if err != nil {
		return cty.NilType, err
	}
	var out cty.Type
	if err := out.UnmarshalJSON(raw); err != nil {
		return cty.NilType, fmt.Errorf("type %s: %w", raw, err)
	}
	return out, nil
}

func kind(k tfprotov6.StringKind) tfjson.SchemaDescriptionKind {
	if k == tfprotov6.StringKindMarkdown {
		return tfjson.SchemaDescriptionKindMarkdown
	}
	return tfjson.SchemaDescriptionKindPlain
}

func blockNesting(m tfprotov6.SchemaNestedBlockNestingMode) (tfjson.SchemaNestingMode, error) {
	switch m {
	case tfprotov6.SchemaNestedBlockNestingModeSingle:
		return tfjson.SchemaNestingModeSingle, nil
	case tfprotov6.SchemaNestedBlockNestingModeList:
		return tfjson.SchemaNestingModeList, nil
	case tfprotov6.SchemaNestedBlockNestingModeSet:
		return tfjson.SchemaNestingModeSet, nil
	case tfprotov6.SchemaNestedBlockNestingModeMap:
		return tfjson.SchemaNestingModeMap, nil
	case tfprotov6.SchemaNestedBlockNestingModeGroup:
		return tfjson.SchemaNestingModeGroup, nil
	}
	return "", fmt.Errorf("unknown block nesting mode %v", m)
}

// unsigned converts a protocol count or version (never negative) to the
// JSON format's unsigned type; a negative value becomes 0.
func unsigned(v int64) uint64 {
	if v < 0 {
		return 0
	}
	return uint64(v)
}
