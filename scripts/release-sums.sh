#!/usr/bin/env bash
# Writes the Terraform registry files of one provider family into dist/:
#   terraform-provider-<family>_<version>_manifest.json    (copy of terraform-registry-manifest.json)
#   terraform-provider-<family>_<version>_SHA256SUMS       (the family's zips and its manifest)
#   terraform-provider-<family>_<version>_SHA256SUMS.sig   (detached GPG signature, only with a key)
#
# goreleaser writes a single checksum file per release, and the two families
# need one each, so .goreleaser.yml runs this script once per family through
# its `sboms` hook (artifacts: any): that hook runs after the archives, in
# snapshots too, and registers the files it lists as release artifacts.
#
# usage (from goreleaser, in dist/): release-sums.sh FAMILY VERSION IS_SNAPSHOT
# env: document0..2  the three output paths above (set by goreleaser)
#      GPG_FINGERPRINT  key to sign with; without it a snapshot is left
#                       unsigned and a real release fails
#      GNUPGHOME        optional gpg home
#      RELEASE_FAMILY   the one family a real release publishes (see .goreleaser.yml)
set -euo pipefail

family=$1 version=$2 snapshot=$3
if [[ $snapshot != true && ${RELEASE_FAMILY:-} != "$family" ]]; then
	# A release with both families' zips is read by OpenTofu's registry as one
	# provider's, and neither registry finds the second provider's repository.
	echo "release-sums: set RELEASE_FAMILY=galaxias or RELEASE_FAMILY=drone: a release holds one provider (see .goreleaser.yml)" >&2
	exit 1
fi
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
manifest=${document0:?} sums=${document1:?} sig=${document2:?}
prefix="terraform-provider-${family}_${version}"

sha256() {
	if command -v sha256sum >/dev/null; then sha256sum "$@"; else shasum -a 256 "$@"; fi
}

cp "$root/terraform-registry-manifest.json" "$manifest"

shopt -s nullglob
zips=("${prefix}"_*.zip)
((${#zips[@]} > 0)) || { echo "release-sums: no ${prefix}_*.zip in $PWD" >&2; exit 1; }
# Names only (no directories), sorted, as the registry and Terraform expect.
sha256 "${zips[@]}" "$manifest" | sed -E 's#  .*/#  #' | LC_ALL=C sort -k2 >"$sums.tmp"
mv "$sums.tmp" "$sums"

rm -f "$sig"
if [[ -n ${GPG_FINGERPRINT:-} ]]; then
	[[ -n ${GNUPGHOME:-} ]] || unset GNUPGHOME
	gpg --batch --yes --local-user "$GPG_FINGERPRINT" --output "$sig" --detach-sign "$sums"
elif [[ $snapshot == true ]]; then
	echo "release-sums: GPG_FINGERPRINT is not set: $(basename "$sums") is not signed (snapshot)" >&2
else
	echo "release-sums: GPG_FINGERPRINT is not set: a release for the Terraform registry must be signed" >&2
	exit 1
fi
