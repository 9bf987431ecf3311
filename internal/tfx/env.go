package tfx

import (
	"os"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework/types"
)

// StringEnv returns v, or the environment variable env when v is null.
func StringEnv(v types.String, env string) types.String {
	if v.IsNull() {
		if e, ok := os.LookupEnv(env); ok && e != "" {
			return types.StringValue(e)
		}
	}
	return v
}

// BoolEnv returns v, or the environment variable env when v is null.
func BoolEnv(v types.Bool, env string) types.Bool {
	if v.IsNull() {
		if b, err := strconv.ParseBool(os.Getenv(env)); err == nil {
			return types.BoolValue(b)
		}
	}
	return v
}

// Int64Env returns v, or the environment variable env when v is null.
func Int64Env(v types.Int64, env string) types.Int64 {
	if v.IsNull() {
		if i, err := strconv.ParseInt(os.Getenv(env), 10, 64); err == nil {
			return types.Int64Value(i)
		}
	}
	return v
}

// WithEnv fills unset HTTP settings from PREFIX_CA_CERT, PREFIX_INSECURE_SKIP_VERIFY,
// PREFIX_REQUEST_TIMEOUT and PREFIX_MAX_RETRIES.
func (h HTTPSettings) WithEnv(prefix string) HTTPSettings {
	return HTTPSettings{
		CACert:             StringEnv(h.CACert, prefix+"_CA_CERT"),
		InsecureSkipVerify: BoolEnv(h.InsecureSkipVerify, prefix+"_INSECURE_SKIP_VERIFY"),
		RequestTimeout:     StringEnv(h.RequestTimeout, prefix+"_REQUEST_TIMEOUT"),
		MaxRetries:         Int64Env(h.MaxRetries, prefix+"_MAX_RETRIES"),
	}
}
