package tfx

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

func quote(s string) string { return strconv.Quote(s) }

// Regex is a string validator whose error quotes the value and says what is
// expected. Unknown and null values pass, so values computed by other
// resources never fail validation at plan time.
func Regex(re *regexp.Regexp, want string) validator.String {
	return stringvalidator.RegexMatches(re, "must be "+want)
}

// Duration validates a positive Go duration string.
func Duration() validator.String {
	return stringFunc{"a positive Go duration such as \"30s\"", checkDuration}
}

// URL validates an absolute http(s) URL.
func URL() validator.String { return stringFunc{"an absolute http:// or https:// URL", checkURL} }

func checkDuration(v string) error {
	d, err := time.ParseDuration(v)
	if err != nil {
		return err
	}
	if d <= 0 {
		return fmt.Errorf("must be positive")
	}
	return nil
}

func checkURL(v string) error {
	u, err := url.Parse(v)
	if err != nil {
		return err
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("want scheme http or https and a host")
	}
	if strings.HasSuffix(u.Host, ":") {
		return fmt.Errorf("empty port")
	}
	return nil
}

// stringFunc adapts a check function to a framework validator.
type stringFunc struct {
	desc  string
	check func(string) error
}

func (s stringFunc) Description(context.Context) string             { return "must be " + s.desc }
func (s stringFunc) MarkdownDescription(ctx context.Context) string { return s.Description(ctx) }

func (s stringFunc) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	v := req.ConfigValue.ValueString()
	if err := s.check(v); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid "+req.Path.String(),
			fmt.Sprintf("%s must be %s, got %s: %v.", req.Path, s.desc, quote(v), err))
	}
}

// StringCheck builds a validator from a description and a check function.
func StringCheck(desc string, check func(string) error) validator.String {
	return stringFunc{desc, check}
}
