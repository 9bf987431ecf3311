// Package provider maps an executable name to one of the two provider
// families served by this binary.
package provider

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/provider"

	"github.com/galaxias/terraform-provider-galaxias/internal/drone"
	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias"
)

// Families lists the provider families by their Terraform local name.
var Families = map[string]func(version string) func() provider.Provider{
	"drone":    drone.New,
	"galaxias": galaxias.New,
}

// Address is the registry source address of a family.
func Address(family string) string {
	return "registry.terraform.io/galaxias/" + family
}

var versionSuffix = regexp.MustCompile(`_v\d.*$`)

// FamilyFromExecutable derives the family from an executable path such as
// /x/terraform-provider-drone_v1.2.3.exe.
func FamilyFromExecutable(path string) (string, error) {
	name := strings.TrimSuffix(filepath.Base(filepath.ToSlash(strings.ReplaceAll(path, `\`, "/"))), ".exe")
	name = versionSuffix.ReplaceAllString(name, "")
	family := strings.TrimPrefix(name, "terraform-provider-")
	if _, ok := Families[family]; !ok {
		return "", fmt.Errorf("cannot tell the provider family from the executable name %q: "+
			"install it as terraform-provider-drone or terraform-provider-galaxias, or pass -family", filepath.Base(path))
	}
	return family, nil
}

// Factory returns the provider constructor of a family.
func Factory(family, version string) (func() provider.Provider, error) {
	f, ok := Families[family]
	if !ok {
		return nil, fmt.Errorf("unknown provider family %q (want drone or galaxias)", family)
	}
	return f(version), nil
}

// sdkLogVars are the plugin SDK's logging switches that QuietLogs turns off.
var sdkLogVars = []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_PROVIDER"}

// QuietLogs switches the plugin SDKs' logging off when the user asked for
// no logs at all (no TF_LOG* variable set). Without it the SDKs log every
// call at trace level and Terraform parses and then discards each line: a
// third or more of the provider's CPU in a large refresh (docs/performance.md).
// With any TF_LOG* variable set, nothing changes.
func QuietLogs(environ []string, setenv func(k, v string) error) {
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
}
