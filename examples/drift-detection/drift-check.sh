#!/usr/bin/env bash
# Drift check for CI: has anything managed by this configuration been changed
# outside Terraform (or OpenTofu), and is there configuration not yet applied?
#
#   drift-check.sh [DIR]      DIR: the Terraform configuration (default: .)
#
# It runs two plans and compares them, resource by resource:
#   plan -refresh-only  what changed on the servers since the last apply
#                       (changes made outside Terraform);
#   plan                what an apply would do now.
# A resource changed outside Terraform that the apply would act on is drift.
# A change the apply would make to a resource nobody touched is pending: the
# configuration (or a data source it reads, e.g. the newest chart version)
# changed since the last apply. A resource changed outside Terraform that the
# apply would leave alone (an attribute in ignore_changes, or one the
# configuration does not set) is accepted: listed, but not drift.
#
# Exit codes:
#   0  clean: no drift, nothing pending (accepted changes are listed)
#   1  error (no lock file, init, refresh or plan failed; a missing tool)
#   2  drift: prints the table (pending changes, if any, are in it too)
#   3  pending changes only: prints the table; no drift
#
# Init honours the dependency lock file: DIR must hold .terraform.lock.hcl
# (commit it), and `init -lockfile=readonly` installs exactly the provider
# versions it records (never -upgrade): CI checks with the providers that
# apply. A lock file that does not match the configuration fails the check.
#
# Environment: the providers' settings (DRONE_SERVER, DRONE_TOKEN,
# GALAXIAS_ENDPOINT, GALAXIAS_TOKEN), the state backend's (PG_CONN_STR for the
# pg backend), TF_VAR_* for required variables, TF_CLI_CONFIG_FILE when the
# providers come from a mirror. Optional: DRIFT_INIT=0 to skip `init`;
# DRIFT_STRICT=1 to count accepted changes as drift (exit 2);
# DRIFT_LOCK_TIMEOUT (default 5m) to wait for a state lock held by a running
# apply; DRIFT_PLAN_JSON=FILE and DRIFT_REFRESH_JSON=FILE to keep `show -json`
# of the plan and of the refresh-only plan; TF_CLI to choose the CLI:
# terraform, tofu (OpenTofu) or a path to either (default: terraform when it
# is on PATH, else tofu).
#
# Needs Terraform (>= 1.11) or OpenTofu (>= 1.11), and jq. Secrets never
# reach the output: values the CLI marks sensitive are printed as (sensitive).
set -uo pipefail

dir=${1:-.}
tf=${TF_CLI:-}
if [ -z "$tf" ]; then
  if command -v terraform >/dev/null; then tf=terraform; else tf=tofu; fi
fi
for tool in "$tf" jq; do
  command -v "$tool" >/dev/null || { echo "drift-check: $tool is not installed" >&2; exit 1; }
done
name=$(basename "$tf")
cd "$dir" || { echo "drift-check: no such directory: $dir" >&2; exit 1; }
export TF_IN_AUTOMATION=1 TF_INPUT=0

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ "${DRIFT_INIT:-1}" != 0 ]; then
  if [ ! -f .terraform.lock.hcl ]; then
    echo "drift-check: no .terraform.lock.hcl in $dir: run $name init once and commit the lock file" >&2
    exit 1
  fi
  if ! "$tf" init -input=false -lockfile=readonly -no-color >"$work/init.log" 2>&1; then
    cat "$work/init.log" >&2
    echo "drift-check: $name init failed (the lock file must list every provider the configuration needs: run $name init and commit .terraform.lock.hcl)" >&2
    exit 1
  fi
fi

# run_plan KIND ARGS...: a saved plan in $work/KIND, its JSON in $work/KIND.json.
run_plan() {
  local kind=$1
  shift
  "$tf" plan "$@" -detailed-exitcode -input=false -no-color -lock-timeout="${DRIFT_LOCK_TIMEOUT:-5m}" \
    -out="$work/$kind" >"$work/$kind.log" 2>&1
  local rc=$?
  if [ "$rc" != 0 ] && [ "$rc" != 2 ]; then
    cat "$work/$kind.log" >&2
    echo "drift-check: $name plan ($kind) failed (exit $rc)" >&2
    exit 1
  fi
  if ! "$tf" show -json "$work/$kind" >"$work/$kind.json" 2>"$work/show.log"; then
    cat "$work/show.log" >&2
    echo "drift-check: $name show -json failed" >&2
    exit 1
  fi
}
run_plan refresh -refresh-only
run_plan plan
[ -z "${DRIFT_PLAN_JSON:-}" ] || cp "$work/plan.json" "$DRIFT_PLAN_JSON"
[ -z "${DRIFT_REFRESH_JSON:-}" ] || cp "$work/refresh.json" "$DRIFT_REFRESH_JSON"

# One row per resource: what changed outside Terraform (the refresh-only
# plan's resource_drift) and what an apply would do (the plan's
# resource_changes). For an update, the attributes whose values differ,
# sensitive ones masked.
jq -r -n --slurpfile refresh "$work/refresh.json" --slurpfile plan "$work/plan.json" \
  --arg strict "${DRIFT_STRICT:-0}" '
  def masked($v; $s):
    if $s == true then "(sensitive)"
    elif $v == null then "null"
    else ($v | tojson | if length > 40 then .[0:37] + "..." else . end)
    end;
  def attrs($c):
    ($c.before // {}) as $b | ($c.after // {}) as $a |
    def obj: if type == "object" then . else {} end;
    ($c.before_sensitive | obj) as $bsens | ($c.after_sensitive | obj) as $asens | ($c.after_unknown | obj) as $aunk |
    [ (($b | keys) + ($a | keys)) | unique[] as $k
      | select($b[$k] != $a[$k])
      | select(($a[$k] == null and $aunk[$k] == true) | not)
      | "\($k): \(masked($b[$k]; $bsens[$k])) -> \(masked($a[$k]; $asens[$k]))" ];
  def what($c):
    if $c.actions == ["delete"] then "deleted"
    elif $c.actions == ["update"] then "changed"
    else ($c.actions | join("+")) end;
  # A galaxias_deployment update that makes a new deployment (its id becomes
  # unknown) rolls the release out: a new chart version, or the declared
  # values again after they changed (config_revision, values_revision).
  def planned($r):
    $r.change as $c |
    if $c.actions == ["create"] then "create"
    elif $c.actions == ["update"] and $r.type == "galaxias_deployment" and ($c.after_unknown.id // false) == true then "rollout"
    elif $c.actions == ["update"] then "update"
    elif $c.actions == ["delete"] then "destroy"
    elif ($c.actions | index("create")) and ($c.actions | index("delete")) then "replace"
    else ($c.actions | join("+")) end;
  def changed: select(.mode == "managed") | select(.change.actions != ["no-op"] and .change.actions != ["read"]);
  ([$refresh[0].resource_drift[]? | changed] | map({key: .address, value: .}) | from_entries) as $drift |
  ([$plan[0].resource_changes[]? | changed] | map({key: .address, value: .}) | from_entries) as $plans |
  (($drift | keys) + ($plans | keys) | unique) as $addrs |
  (["RESOURCE", "FINDING", "OUTSIDE_TERRAFORM", "PLAN", "ATTRIBUTES"] | join("\t")),
  ($addrs[] as $a |
    ($drift[$a].change // null) as $d | ($plans[$a].change // null) as $p |
    [ $a,
      (if $d and ($p or $strict == "1") then "drift" elif $d then "accepted" else "pending" end),
      (if $d then what($d) else "-" end),
      (if $p then planned($plans[$a]) else "-" end),
      (if $d and $d.actions == ["update"] then attrs($d) | join(", ")
       elif $d then "-"
       elif $p and $p.actions == ["update"] then attrs($p) | join(", ")
       else "-" end | if . == "" then "-" else . end) ] | join("\t"))
' >"$work/table.tsv" || { echo "drift-check: could not read the plans" >&2; exit 1; }

count() { cut -f2 "$work/table.tsv" | grep -cx "$1"; }
drift=$(count drift) pending=$(count pending) accepted=$(count accepted)
echo "drift-check: $drift drifted, $pending pending, $accepted accepted resource(s)"
if [ $((drift + pending + accepted)) -gt 0 ]; then
  if command -v column >/dev/null; then
    column -t -s $'\t' "$work/table.tsv"
  else
    tr '\t' ' ' <"$work/table.tsv"
  fi
fi
if [ "$drift" -gt 0 ]; then
  echo "drift-check: drift: changed outside $name (PLAN: what an apply would do about it)"
  exit 2
elif [ "$pending" -gt 0 ]; then
  echo "drift-check: pending changes only: the configuration is not applied yet"
  exit 3
fi
[ "$accepted" = 0 ] || echo "drift-check: changed outside $name, kept by the configuration (not drift)"
echo "drift-check: no drift"
exit 0
