//go:build tools

// Package tools pins OpenTofu, the second CLI the end-to-end suites and the
// demo run under (internal/stack builds it into .cache/tools/tofu).
// Build: go build -o tofu github.com/opentofu/opentofu/cmd/tofu
package tools

import _ "github.com/opentofu/opentofu/cmd/tofu"
