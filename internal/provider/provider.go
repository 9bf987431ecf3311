// Package provider maps an executable name to one of the two provider
// families served by this binary, and serves a family the way the binary
// does (behind serve.ContextGuard; see the serve package).
package provider

import (
	"fmt"
	"maps"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/galaxias/terraform-provider-galaxias/internal/drone"
	"github.com/galaxias/terraform-provider-galaxias/internal/galaxias"
	"github.com/galaxias/terraform-provider-galaxias/internal/provider/serve"
)

// families lists the provider families by their Terraform local name.
var families = map[string]func(version string) func() provider.Provider{
	"drone":    drone.New,
	"galaxias": galaxias.New,
}

// Families returns the local names of the provider families, sorted.
func Families() []string {
	return slices.Sorted(maps.Keys(families))
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
	if _, ok := families[family]; !ok {
		return "", fmt.Errorf("cannot tell the provider family from the executable name %q: "+
			"install it as terraform-provider-drone or terraform-provider-galaxias, or pass -family", filepath.Base(path))
	}
	return family, nil
}

// factory returns the provider constructor of a family.
func factory(family, version string) (func() provider.Provider, error) {
	f, ok := families[family]
	if !ok {
		return nil, fmt.Errorf("unknown provider family %q (want drone or galaxias)", family)
	}
	return f(version), nil
}

// Server returns the protocol server of a family as the binary serves it:
// the framework server behind serve.ContextGuard, which keeps its memory
// bounded in large configurations.
func Server(family, version string) (func() tfprotov6.ProviderServer, error) {
	newProvider, err := factory(family, version)
	if err != nil {
		return nil, err
	}
	return func() tfprotov6.ProviderServer {
		return serve.ContextGuard(providerserver.NewProtocol6(newProvider())(), serve.SweepEvery)
	}, nil
}
