#!/usr/bin/env bash
# Runs every fuzz target of the module for the given time each (default 30s).
# `make test` already runs each target's seed corpus (the f.Add seeds and
# testdata/fuzz/<Target>/) as ordinary tests; this explores beyond them.
# New crashers are written to testdata/fuzz/<Target>/ by go test: commit them.
set -euo pipefail
cd "$(dirname "$0")/.."
time=${1:-30s}
status=0
for pkg in $(go list ./...); do
  dir=$(go list -f '{{.Dir}}' "$pkg")
  for target in $(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | sed 's/^func //' | sort -u); do
    echo "==> $pkg $target ($time)"
    if ! go test -run '^$' -fuzz "^${target}\$" -fuzztime "$time" "$pkg"; then
      status=1
    fi
  done
done
exit $status
