package serve

import "strings"

// sdkLogVars are the plugin SDKs' logging switches that QuietLogs turns off.
var sdkLogVars = []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_PROVIDER"}

// QuietLogs switches logging off when the user asked for no logs at all (no
// TF_LOG* variable set). Without it terraform-plugin-go and the framework log
// every call at TRACE, and the provider's own tflog lines go out at TRACE
// too (their level comes from TF_LOG_PROVIDER_<TYPE>, e.g.
// TF_LOG_PROVIDER_GALAXIAS, not from TF_LOG_PROVIDER); Terraform parses and
// then discards each line. In a large refresh that was most of the
// provider's CPU (docs/performance.md). providerTypes are the provider type
// names served (galaxias, drone). With any TF_LOG* variable set, nothing
// changes.
func QuietLogs(environ []string, setenv func(k, v string) error, providerTypes ...string) {
	for _, kv := range environ {
		if strings.HasPrefix(kv, "TF_LOG") {
			if k, v, _ := strings.Cut(kv, "="); k != "" && v != "" {
				return
			}
		}
	}
	for _, k := range sdkLogVars {
		_ = setenv(k, "off")
	}
	for _, t := range providerTypes {
		_ = setenv(providerLogVar(t), "off")
	}
}

// providerLogVar is the variable that sets the level of a provider's own
// logs, as terraform-plugin-go derives it from the provider type.
func providerLogVar(providerType string) string {
	return "TF_LOG_PROVIDER_" + strings.ToUpper(strings.ReplaceAll(providerType, "-", "_"))
}
