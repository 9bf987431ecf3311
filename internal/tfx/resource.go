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
