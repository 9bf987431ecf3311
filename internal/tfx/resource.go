package tfx

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// ProviderData type-asserts the data a provider's Configure handed over. It
// returns false (with no error) while the provider is not configured yet.
func ProviderData[T any](data any, diags *diag.Diagnostics) (T, bool) {
	var zero T
	if data == nil {
		return zero, false
	}
	v, ok := data.(T)
	if !ok {
		diags.AddError("Unexpected provider data",
			fmt.Sprintf("Expected %T, got %T. This is a bug in the provider; please report it.", zero, data))
		return zero, false
	}
	return v, true
}

// APIError adds an error diagnostic for a failed API call: what was being
// done, and the server's own answer.
func APIError(diags *diag.Diagnostics, action string, err error) {
	diags.AddError("Failed to "+action, err.Error())
}

// NotConfigured adds the error of an operation (what, e.g. "Reading data
// source drone_repo") that needs the server while the provider is not
// configured: its settings are unknown until another resource is created.
func NotConfigured(diags *diag.Diagnostics, provider, what string) {
	diags.AddError("The "+provider+" provider is not configured", what+" needs the "+provider+" server, but the "+
		"provider's settings (its address or credentials) are not known yet: they come from a resource that is not "+
		"created yet. Create that resource first (terraform apply -target=<its address>), or give the provider "+
		"settings known at plan time.")
}
