#!/usr/bin/env bash
# Generates docs/ for both provider families with tfplugindocs, or checks
# that the committed docs/ is what the generator produces.
#
#   scripts/docs.sh generate   rewrite the generated parts of docs/
#   scripts/docs.sh check      fail when docs/ differs from a fresh generation
#
# tfplugindocs documents one provider per run, so each family is rendered on
# its own from the schema that cmd/provider-schema exports for the current
# code (the shape of `terraform providers schema -json`, with identities and
# list resources), and the results are merged into one tree:
#
#   galaxias (the main family)  docs/index.md, docs/resources/<name>.md, ...
#                               from templates/ (without templates/drone/)
#   drone                       docs/guides/drone-provider.md (its index page),
#                               docs/resources/drone_<name>.md, ...
#                               from templates/drone/
#
# Examples are found by resource type, for every family alike:
# examples/resources/<type>/resource*.tf, import.sh, import-by-string-id.tf
# and import-by-identity.tf, examples/data-sources/<type>/data-source*.tf,
# examples/list-resources/<type>/list-resource*.tfquery.hcl,
# examples/provider/provider*.tf
# (galaxias) and examples/provider-drone/provider.tf (drone).
#
# Only the parts tfplugindocs owns are written: docs/index.md and the folders
# in $managed. Other files in docs/ (e.g. docs/galaxias-api.md) are left alone;
# guides belong in templates/guides/.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tfplugindocs="${TOOLS_BIN:-$root/.cache/tools}/tfplugindocs"
main_family=galaxias
families=(galaxias drone)
managed=(index.md guides resources data-sources ephemeral-resources functions actions list-resources state-stores)
kinds=(resources data-sources ephemeral-resources functions actions list-resources state-stores)

die() { echo "docs: $*" >&2; exit 1; }

mode="${1:-}"
[[ $mode == generate || $mode == check ]] || die "usage: $0 generate|check"
[[ -x $tfplugindocs ]] || die "$tfplugindocs is missing: run make tools (bash scripts/tools.sh)"

work="$(mktemp -d "${TMPDIR:-/tmp}/galaxias-docs.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# run LOG CMD...: runs CMD with its output in LOG, shown only on failure.
run() {
	local log=$1; shift
	if ! "$@" >"$log" 2>&1; then
		cat "$log" >&2
		die "failed: $*"
	fi
}

# The schema of both families in the shape of `terraform providers schema
# -json`, written by cmd/provider-schema from the providers' own protocol
# servers: the CI's Terraform (1.11) would leave out the resource identities
# and the list resources, which it does not know.
provider_schemas() {
	(cd "$root" && run "$work/schema.log" go run ./cmd/provider-schema -o "$work/schema.json")
	for f in "${families[@]}"; do
		grep -q "\"registry.terraform.io/galaxias/$f\":" "$work/schema.json" ||
			die "the exported schema has no provider galaxias/$f"
	done
}

# copy_new SRC DST: copies a file, refusing to overwrite what another family wrote.
copy_new() {
	[[ ! -e $2 ]] || die "two provider families both generate ${2#"$out"/}: rename a template or a type"
	mkdir -p "$(dirname "$2")"
	cp "$1" "$2"
}

# render_family FAMILY: runs tfplugindocs for one family in its own site
# folder and merges its pages into $out.
render_family() {
	local family=$1 site="$work/site-$family"
	mkdir -p "$site/templates"
	cp -R "$root/examples" "$site/examples"
	if [[ $family == "$main_family" ]]; then
		[[ -d $root/templates ]] && cp -R "$root/templates/." "$site/templates/"
		for f in "${families[@]}"; do
			[[ $f == "$main_family" ]] || rm -rf "${site:?}/templates/$f"
		done
	elif [[ -d $root/templates/$family ]]; then
		cp -R "$root/templates/$family/." "$site/templates/"
	fi
	# tfplugindocs looks a provider up by its short name (or under the
	# hashicorp namespace), so give this family's schema its short name.
	sed "s#\"registry.terraform.io/galaxias/$family\":#\"$family\":#" "$work/schema.json" >"$site/schema.json"

	run "$work/tfplugindocs-$family.log" "$tfplugindocs" generate \
		--provider-dir "$site" \
		--provider-name "$family" \
		--providers-schema "$site/schema.json" \
		--examples-dir examples \
		--website-source-dir templates \
		--rendered-website-dir docs \
		--website-temp-dir "$work/tmp-$family"

	local src rel dst
	while IFS= read -r -d '' src; do
		rel="${src#"$site/docs/"}"
		dst="$rel"
		if [[ $family != "$main_family" ]]; then
			case "$rel" in
			index.md) dst="guides/$family-provider.md" ;;
			*/*) # <kind>/<name>.md: prefix the name with the family
				local kind="${rel%%/*}"
				if [[ " ${kinds[*]} " == *" $kind "* ]]; then
					dst="$kind/${family}_${rel#*/}"
				fi
				;;
			esac
		fi
		copy_new "$src" "$out/$dst"
	done < <(find "$site/docs" -type f -print0 | sort -z)
}

# Every example folder must match a type of one of the families: an example
# for a misspelled or removed type would silently be left out of the docs.
check_examples() {
	local kind dir type family name page bad=0
	for kind in "${kinds[@]}"; do
		[[ -d $root/examples/$kind ]] || continue
		for dir in "$root/examples/$kind"/*/; do
			[[ -d $dir ]] || continue
			type="$(basename "$dir")"
			family="${type%%_*}"
			name="${type#*_}"
			if [[ $family == "$main_family" ]]; then page="$kind/$name.md"; else page="$kind/$type.md"; fi
			if [[ $type != *_* || ! -f $out/$page ]]; then
				echo "docs: examples/$kind/$type matches no ${kind%s} of the providers (no $page was generated)" >&2
				bad=1
			fi
		done
	done
	[[ $bad == 0 ]] || die "fix or remove the example folders above"
}

# note_missing_examples: lists the resources and data sources that have no
# example (a note, not an error).
note_missing_examples() {
	local kind page type
	for kind in resources data-sources; do
		for page in "$out/$kind"/*.md; do
			[[ -f $page ]] || continue
			type="$(basename "$page" .md)"
			[[ $type == *_* && ${type%%_*} != "$main_family" && " ${families[*]} " == *" ${type%%_*} "* ]] ||
				type="${main_family}_$type"
			[[ -d $root/examples/$kind/$type ]] ||
				echo "docs: note: $type has no example (examples/$kind/$type/)" >&2
		done
	done
}

out="$work/out"
mkdir -p "$out"
provider_schemas
for family in "${families[@]}"; do
	render_family "$family"
done
check_examples

case "$mode" in
generate)
	note_missing_examples
	mkdir -p "$root/docs"
	for e in "${managed[@]}"; do
		rm -rf "${root:?}/docs/$e"
		[[ -e $out/$e ]] && cp -R "$out/$e" "$root/docs/$e"
	done
	echo "docs: generated docs/ for ${families[*]}"
	;;
check)
	drift=0
	for e in "${managed[@]}"; do
		if [[ ! -e $root/docs/$e && ! -e $out/$e ]]; then
			continue
		elif [[ ! -e $root/docs/$e ]]; then
			echo "docs: docs/$e is missing" >&2
			drift=1
		elif [[ ! -e $out/$e ]]; then
			echo "docs: docs/$e is no longer generated" >&2
			drift=1
		elif ! diff -ru "$root/docs/$e" "$out/$e" >"$work/diff" 2>&1; then
			sed -e "s#$out/#generated/#g" -e "s#$root/##g" "$work/diff" | head -n 60 >&2
			drift=1
		fi
	done
	if [[ $drift != 0 ]]; then
		die "docs/ is out of date with the provider schemas, examples or templates: run make docs and commit docs/"
	fi
	echo "docs: docs/ is up to date"
	;;
esac
