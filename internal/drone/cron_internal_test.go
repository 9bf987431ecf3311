package drone

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func validateExpr(expr string) *validator.StringResponse {
	resp := &validator.StringResponse{}
	cronExprValidator{}.ValidateString(context.Background(), validator.StringRequest{
		Path: path.Root("expr"), ConfigValue: types.StringValue(expr),
	}, resp)
	return resp
}

// A five-field expression is valid for Drone (day of week is optional) but
// means something else than in crontab: a warning says how Drone reads it.
func TestCronExpr_fiveFieldWarning(t *testing.T) {
	resp := validateExpr("0 2 * * *")
	if resp.Diagnostics.HasError() || resp.Diagnostics.WarningsCount() != 1 {
		t.Fatalf("want one warning, got %v", resp.Diagnostics)
	}
	detail := resp.Diagnostics.Warnings()[0].Detail()
	for _, want := range []string{"second=0 minute=2 hour=*", `"0 0 2 * * *"`} {
		if !strings.Contains(detail, want) {
			t.Errorf("warning %q does not contain %q", detail, want)
		}
	}
	for _, ok := range []string{"0 0 2 * * *", "@daily", "@every 5m"} {
		if d := validateExpr(ok).Diagnostics; len(d) != 0 {
			t.Errorf("%q: want no diagnostics, got %v", ok, d)
		}
	}
	if d := validateExpr("0 0 25 * * *").Diagnostics; !d.HasError() || !strings.Contains(d.Errors()[0].Detail(), `"0 0 25 * * *"`) {
		t.Errorf("want an error quoting the expression, got %v", d)
	}
}
