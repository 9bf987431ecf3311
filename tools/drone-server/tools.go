//go:build tools

// Package tools pins drone-server for the local test stack.
// Build: CGO_ENABLED=1 go build -tags nolimit github.com/drone/drone/cmd/drone-server
package tools

import _ "github.com/drone/drone/cmd/drone-server"
