// Package tfx holds what both provider families share on top of the
// framework: the one resource pattern (CRUD, with its Request, API policy,
// outcome errors, identity and list resource, Lister), the one data-source
// pattern (Lookup), the HTTP settings block, environment fallbacks,
// validators and import-id parsing. docs/architecture.md defines its words.
package tfx

import (
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/galaxias/terraform-provider-galaxias/internal/httpx"
)

// HTTPSettings is the part of both providers' configuration that tunes the
// shared HTTP layer.
type HTTPSettings struct {
	CACert             types.String `tfsdk:"ca_cert"`
	InsecureSkipVerify types.Bool   `tfsdk:"insecure_skip_verify"`
	RequestTimeout     types.String `tfsdk:"request_timeout"`
	MaxRetries         types.Int64  `tfsdk:"max_retries"`
}

// HTTPSettingsAttributes returns the provider schema attributes of HTTPSettings.
func HTTPSettingsAttributes(envPrefix string) map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"ca_cert": schema.StringAttribute{
			Optional: true,
			MarkdownDescription: "PEM-encoded CA certificate(s) to trust in addition to the system pool, inline or as the " +
				"path of a file. Env `" + envPrefix + "_CA_CERT`.",
		},
		"insecure_skip_verify": schema.BoolAttribute{
			Optional: true,
			MarkdownDescription: "Skip TLS certificate verification. Default `false`. Only for testing: the provider warns " +
				"when it is on. Env `" + envPrefix + "_INSECURE_SKIP_VERIFY`.",
		},
		"request_timeout": schema.StringAttribute{
			Optional: true,
			MarkdownDescription: "Timeout of one HTTP attempt, as a Go duration such as `30s` or `2m`. Default `30s`. " +
				"Env `" + envPrefix + "_REQUEST_TIMEOUT`.",
			Validators: []validator.String{Duration()},
		},
		"max_retries": schema.Int64Attribute{
			Optional: true,
			MarkdownDescription: "Retries after a failed attempt (connection errors, 429 and 5xx; a POST only when the " +
				"server provably did not process it). Default `4`; `0` disables retries. Env `" + envPrefix + "_MAX_RETRIES`.",
			Validators: []validator.Int64{int64validator.Between(0, 20)},
		},
	}
}

// Options turns the settings (already merged with the environment) into
// httpx options. Validation has run at plan time; errors here are for values
// that came from the environment.
func (h HTTPSettings) Options(subsystem, version string, secrets []string, diags *diag.Diagnostics) httpx.Options {
	opts := httpx.Options{
		Subsystem:          subsystem,
		Version:            version,
		CACert:             h.CACert.ValueString(),
		InsecureSkipVerify: h.InsecureSkipVerify.ValueBool(),
		Secrets:            secrets,
	}
	if v := h.RequestTimeout.ValueString(); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			diags.AddAttributeError(path.Root("request_timeout"), "Invalid request_timeout",
				"request_timeout must be a positive Go duration such as \"30s\", got "+quote(v)+".")
		}
		opts.Timeout = d
	}
	if !h.MaxRetries.IsNull() && !h.MaxRetries.IsUnknown() {
		opts.MaxRetries = int(h.MaxRetries.ValueInt64())
		if opts.MaxRetries == 0 {
			opts.MaxRetries = -1
		}
	}
	if opts.InsecureSkipVerify {
		diags.AddAttributeWarning(path.Root("insecure_skip_verify"), "TLS verification is disabled",
			"insecure_skip_verify is true: the provider accepts any certificate, so its traffic, tokens included, "+
				"can be intercepted. Use ca_cert to trust a private CA instead.")
	}
	return opts
}
