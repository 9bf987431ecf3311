//go:build tools

// Package tools pins golangci-lint. It has its own module so that its
// dependencies cannot move those of the other tools (scripts/tools.sh builds it).
package tools

import _ "github.com/golangci/golangci-lint/v2/cmd/golangci-lint"
