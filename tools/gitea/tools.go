//go:build tools

// Package tools pins Gitea for the local test stack.
// Build: CGO_ENABLED=1 go build -tags 'sqlite sqlite_unlock_notify' code.gitea.io/gitea
package tools

import _ "code.gitea.io/gitea"
