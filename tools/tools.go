//go:build tools

// Package tools pins the documentation and release tools of the project.
// scripts/tools.sh builds them into .cache/tools from this module, so every
// machine uses the versions in go.mod.
package tools

import (
	_ "github.com/goreleaser/goreleaser/v2"
	_ "github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs"
)
