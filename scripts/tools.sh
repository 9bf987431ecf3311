#!/usr/bin/env bash
# Builds the pinned developer tools into .cache/tools (or $TOOLS_BIN):
#   tfplugindocs, goreleaser  from the module in tools/
#   golangci-lint             from the module in tools/golangci-lint/
# A tool is rebuilt only when the stamp of its module (the hash of go.mod,
# go.sum and the Go version) differs from the one recorded at its last build.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${TOOLS_BIN:-$root/.cache/tools}"
mkdir -p "$bin"

# Another make target may build the same tools at the same time.
if command -v flock >/dev/null 2>&1; then
	exec 9>"$bin/.lock"
	flock 9
fi

# The tool modules are built on their own, whatever go.work or GOFLAGS the
# caller has (GOFLAGS may carry flags meant for the main module).
export GOWORK=off GOFLAGS="-mod=readonly -buildvcs=false" CGO_ENABLED=0

stamp_of() { # module dir
	{ cat "$1/go.mod" "$1/go.sum"; go env GOVERSION; } | sha256sum | cut -d' ' -f1
}

build() { # name, module dir (relative to the repo), package
	local name=$1 dir=$root/$2 pkg=$3
	local stamp_file="$bin/.$name.stamp" want have=""
	want="$(stamp_of "$dir")"
	[[ -f $stamp_file ]] && have="$(<"$stamp_file")"
	if [[ -x $bin/$name && $have == "$want" ]]; then
		return 0
	fi
	echo "tools: building $name ($pkg)" >&2
	local start=$SECONDS
	(cd "$dir" && go build -trimpath -o "$bin/$name.tmp" "$pkg")
	mv -f "$bin/$name.tmp" "$bin/$name"
	printf '%s\n' "$want" >"$stamp_file"
	echo "tools: built $bin/$name in $((SECONDS - start))s" >&2
}

build tfplugindocs  tools               github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs
build goreleaser    tools               github.com/goreleaser/goreleaser/v2
build golangci-lint tools/golangci-lint github.com/golangci/golangci-lint/v2/cmd/golangci-lint
