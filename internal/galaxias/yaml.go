package galaxias

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"go.yaml.in/yaml/v3"
)

// NormalizeYAML parses one YAML document and returns a canonical form (JSON
// with sorted keys), so that documents that differ only in key order,
// quoting, comments or whitespace compare equal. Empty text is the empty map.
func NormalizeYAML(text string) (string, error) {
	dec := yaml.NewDecoder(bytes.NewReader([]byte(text)))
	var v any
	if err := dec.Decode(&v); err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	var extra any
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		if err != nil {
			return "", err
		}
		return "", errors.New("holds more than one YAML document")
	}
	canon, err := canonical(v)
	if err != nil {
		return "", err
	}
	b, err := json.Marshal(canon)
	return string(b), err
}

// canonical turns YAML values into ones encoding/json can write: maps with
// non-string keys get their keys formatted.
func canonical(v any) (any, error) {
	switch t := v.(type) {
	case nil:
		return map[string]any{}, nil
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			c, err := canonicalValue(x)
			if err != nil {
				return nil, err
			}
			out[k] = c
		}
		return out, nil
	case map[any]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			c, err := canonicalValue(x)
			if err != nil {
				return nil, err
			}
			out[fmt.Sprint(k)] = c
		}
		return out, nil
	default:
		return canonicalValue(v)
	}
}

func canonicalValue(v any) (any, error) {
	switch t := v.(type) {
	case nil:
		return nil, nil
	case map[string]any, map[any]any:
		return canonical(t)
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			c, err := canonicalValue(x)
			if err != nil {
				return nil, err
			}
			out[i] = c
		}
		return out, nil
	case float64:
		if t != t { // NaN cannot be compared or written as JSON
			return "NaN", nil
		}
		if t > 1e308 || t < -1e308 {
			return fmt.Sprint(t), nil
		}
		return t, nil
	default:
		return t, nil
	}
}

// checkValues checks Helm values: one YAML document whose top level is a map
// (or empty).
func checkValues(text string) error {
	if _, err := NormalizeYAML(text); err != nil {
		return err
	}
	var v any
	_ = yaml.Unmarshal([]byte(text), &v)
	switch v.(type) {
	case nil, map[string]any, map[any]any:
		return nil
	default:
		return fmt.Errorf("the top level must be a map of values, not a %T", v)
	}
}

// yamlValidator rejects text that is not one YAML document.
type yamlValidator struct{ values bool }

func (v yamlValidator) Description(context.Context) string { return "must be valid YAML" }
func (v yamlValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v yamlValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	check := func(s string) error { _, err := NormalizeYAML(s); return err }
	if v.values {
		check = checkValues
	}
	if err := check(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid YAML in "+req.Path.String(),
			fmt.Sprintf("%s must be valid YAML: %v.", req.Path, err))
	}
}

// sameYAML reports whether two texts hold the same YAML data. Identical
// texts, the usual case in a refresh, are not parsed.
func sameYAML(a, b string) bool {
	if a == b {
		return true
	}
	x, err1 := NormalizeYAML(a)
	y, err2 := NormalizeYAML(b)
	if err1 != nil || err2 != nil {
		return a == b
	}
	return x == y
}
