#!/usr/bin/env bash
# The main job: start the local stack and apply examples/quickstart against it.
#   scripts/demo.sh apply     build, start, seed, apply, check that a second plan is empty
#   scripts/demo.sh destroy   destroy what apply created, check that nothing is left
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
LOGS=$ROOT/.stack/logs
mkdir -p "$LOGS"
STEP=""
trap 'rc=$?; if [ $rc -ne 0 ]; then echo >&2; echo "demo: step \"$STEP\" failed (exit $rc); its log: $LOG" >&2; fi' EXIT

step() { STEP=$1; LOG=$LOGS/demo-$2.log; echo "==> $1"; }

step "start the local stack" stack
go run ./cmd/stack up >"$LOG" 2>&1 || { tail -20 "$LOG" >&2; exit 1; }
# shellcheck disable=SC1091
source .stack/env

WORK=$ROOT/.stack/demo
mkdir -p "$WORK"
cp examples/quickstart/*.tf "$WORK/"
cd "$WORK"
export TF_IN_AUTOMATION=1 TF_INPUT=0
export TF_VAR_repository="$GITEA_USER/aurora-push-service"
export TF_VAR_docker_password="demo-registry-password"

case "${1:-apply}" in
apply)
  step "seed the Gitea repository $TF_VAR_repository" seed
  code=$(curl -sS -o "$LOG" -w '%{http_code}' -X POST "$GITEA_URL/api/v1/user/repos" \
    -H "Authorization: token $GITEA_TOKEN" -H 'Content-Type: application/json' \
    -d '{"name":"aurora-push-service","auto_init":true,"default_branch":"master"}')
  case $code in 201|409) ;; *) echo "gitea answered $code" >&2; exit 1 ;; esac

  step "terraform apply examples/quickstart" apply
  terraform apply -auto-approve -no-color >"$LOG" 2>&1 || { tail -30 "$LOG" >&2; exit 1; }
  grep -E '^Apply complete' "$LOG"

  step "terraform plan -detailed-exitcode (must be empty)" plan
  set +e
  terraform plan -detailed-exitcode -no-color >"$LOG" 2>&1
  rc=$?
  set -e
  if [ $rc -ne 0 ]; then tail -30 "$LOG" >&2; echo "plan after apply is not empty (exit $rc)" >&2; exit 1; fi
  echo "    no changes"

  STEP="summary"
  hooks=$(curl -sS -H "Authorization: token $GITEA_TOKEN" "$GITEA_URL/api/v1/repos/$TF_VAR_repository/hooks" | grep -o '"id":[0-9]*' | wc -l)
  cat <<SUMMARY

Created, on the local stack:
  Drone repo     $DRONE_SERVER/$TF_VAR_repository   (active, trusted, timeout 30)
  Drone secrets  docker_username, docker_password (write-only)
                 curl -H "Authorization: Bearer \$DRONE_TOKEN" $DRONE_SERVER/api/repos/$TF_VAR_repository/secrets
  Gitea webhook  $GITEA_URL/$TF_VAR_repository/settings/hooks   ($hooks webhook(s), created by Drone)
Terraform working directory: $WORK   (source .stack/env to use it)
Destroy with: make demo-destroy
SUMMARY
  ;;
destroy)
  step "terraform destroy" destroy
  terraform destroy -auto-approve -no-color >"$LOG" 2>&1 || { tail -30 "$LOG" >&2; exit 1; }
  grep -E '^Destroy complete' "$LOG"
  step "terraform plan after destroy (nothing left in state)" plan
  n=$(terraform state list 2>/dev/null | wc -l)
  if [ "$n" -ne 0 ]; then echo "state still lists $n resources" >&2; exit 1; fi
  echo "    state is empty"
  ;;
*) echo "usage: $0 apply|destroy" >&2; exit 2 ;;
esac
