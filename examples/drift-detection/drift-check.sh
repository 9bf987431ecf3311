#!/usr/bin/env bash
# Drift check for CI: has anything managed by this configuration been changed
# outside Terraform (or OpenTofu)?
#
#   drift-check.sh [DIR]      DIR: the Terraform configuration (default: .)
#
# Exit codes (those of `plan -detailed-exitcode`):
#   0  no drift: the servers match the configuration
#   2  drift: prints a table of the drifted resources and attributes
#   1  error (init, refresh or plan failed; a missing tool)
#
# Environment: the providers' settings (DRONE_SERVER, DRONE_TOKEN,
# GALAXIAS_ENDPOINT, GALAXIAS_TOKEN), the state backend's (PG_CONN_STR for the
# pg backend), TF_VAR_* for required variables, TF_CLI_CONFIG_FILE when the
# providers come from a mirror. Optional: DRIFT_INIT=0 to skip `terraform
# init`; DRIFT_LOCK_TIMEOUT (default 5m) to wait for a state lock held by a
# running apply; DRIFT_PLAN_JSON=FILE to keep `show -json` of the plan;
# TF_CLI to choose the CLI: terraform, tofu (OpenTofu) or a path to either
# (default: terraform when it is on PATH, else tofu).
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
  if ! "$tf" init -input=false -upgrade -no-color >"$work/init.log" 2>&1; then
    cat "$work/init.log" >&2
    echo "drift-check: $name init failed" >&2
    exit 1
  fi
fi

"$tf" plan -detailed-exitcode -input=false -no-color -lock-timeout="${DRIFT_LOCK_TIMEOUT:-5m}" \
  -out="$work/plan" >"$work/plan.log" 2>&1
rc=$?
case $rc in
0)
  echo "drift-check: no drift"
  exit 0
  ;;
2) ;;
*)
  cat "$work/plan.log" >&2
  echo "drift-check: $name plan failed (exit $rc)" >&2
  exit 1
  ;;
esac

if ! "$tf" show -json "$work/plan" >"$work/plan.json" 2>"$work/show.log"; then
  cat "$work/show.log" >&2
  echo "drift-check: $name show -json failed" >&2
  exit 1
fi
[ -z "${DRIFT_PLAN_JSON:-}" ] || cp "$work/plan.json" "$DRIFT_PLAN_JSON"

# One row per resource: what changed outside Terraform (resource_drift, found
# by the refresh) and what an apply would do (resource_changes). For an
# update, the attributes whose values differ, sensitive ones masked.
jq -r '
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
  def plan($r):
    $r.change as $c |
    if $c.actions == ["create"] then "create"
    elif $c.actions == ["update"] and $r.type == "galaxias_deployment" and ($c.after_unknown.id // false) == true then "rollout"
    elif $c.actions == ["update"] then "update"
    elif $c.actions == ["delete"] then "destroy"
    elif ($c.actions | index("create")) and ($c.actions | index("delete")) then "replace"
    else ($c.actions | join("+")) end;
  ([.resource_drift[]? | select(.mode == "managed")] | map({key: .address, value: .}) | from_entries) as $drift |
  ([.resource_changes[]? | select(.mode == "managed") | select(.change.actions != ["no-op"] and .change.actions != ["read"])]
    | map({key: .address, value: .}) | from_entries) as $plan |
  (($drift | keys) + ($plan | keys) | unique) as $addrs |
  (["RESOURCE", "OUTSIDE TERRAFORM", "PLAN", "ATTRIBUTES"] | join("\t")),
  ($addrs[] as $a |
    ($drift[$a].change // null) as $d | ($plan[$a].change // null) as $p |
    [ $a,
      (if $d then what($d) else "-" end),
      (if $p then plan($plan[$a]) else "-" end),
      (if $d and $d.actions == ["update"] then attrs($d) | join(", ")
       elif $d then "-"
       elif $p and $p.actions == ["update"] then attrs($p) | join(", ")
       else "-" end | if . == "" then "-" else . end) ] | join("\t"))
' "$work/plan.json" >"$work/table.tsv" || { echo "drift-check: could not read the plan" >&2; exit 1; }

n=$(($(wc -l <"$work/table.tsv") - 1))
echo "drift-check: $n resource(s) differ from the configuration"
if command -v column >/dev/null; then
  column -t -s $'\t' "$work/table.tsv"
else
  tr '\t' ' ' <"$work/table.tsv"
fi
exit 2
