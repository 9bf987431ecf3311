#!/usr/bin/env bash
# The main job: the seed's workflow, declared.
#   scripts/demo.sh apply     build the provider, start the local stack, seed the application's
#                             repository and charts, apply examples/quickstart (its first apply
#                             deploys the newest chart), play the pipeline: a build uploads one
#                             more chart and its deploy step (repository/deploy.sh) deploys it,
#                             check that a plan is still empty, print where to look
#   scripts/demo.sh destroy   destroy what apply created (also the chart its pipeline built) and
#                             check that nothing is left
# DEMO_DIALECT=rock runs it against the stack's reference server in the rock dialect (the public
# re-implementation's answers) instead of the default one; each dialect keeps its own state, but both
# manage the same seeded Gitea/Drone repository: destroy one demo before applying the other.
# Every step logs to .stack/logs/demo-<step>.log; a failure names the step and its log.
#
# The CLI: TF=terraform (from PATH) or TF=tofu (OpenTofu, built once from tools/opentofu
# into .cache/tools/tofu), or TF=/path/to/either. Without TF: the CLI of the last apply,
# else terraform when it is on PATH, else OpenTofu.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
LOGS=$ROOT/.stack/logs
WORK=$ROOT/.stack/demo
mkdir -p "$LOGS" "$WORK"
START=$SECONDS
STEP="" LOG=""
trap 'rc=$?; if [ $rc -ne 0 ] && [ -n "$STEP" ]; then echo >&2; echo "demo: step \"$STEP\" failed (exit $rc); its log: $LOG" >&2; fi' EXIT

step() { STEP=$1; LOG=$LOGS/demo-$2.log; : >"$LOG"; printf '==> %s\n' "$1"; }
fail() { tail -n "${2:-30}" "$LOG" >&2; echo "$1" >&2; exit 1; }

MODE=${1:-apply}
case $MODE in apply|destroy) ;; *) echo "usage: $0 apply|destroy" >&2; exit 2 ;; esac
DIALECT=${DEMO_DIALECT:-contract}
case $DIALECT in contract|rock) ;; *) echo "DEMO_DIALECT must be contract or rock" >&2; exit 2 ;; esac
TOKEN_VAR=GALAXIAS_TOKEN DESTROY_CMD="make demo-destroy"
# The release the demo's pipeline builds and deploys after the apply (the seed's are 1.0.0 to 1.1.0).
BUILD=1.2.0 DEMO_CHART=aurora-push-service
if [ "$DIALECT" = rock ]; then
  WORK=$WORK-rock TOKEN_VAR=GALAXIAS_ROCK_TOKEN DESTROY_CMD="DEMO_DIALECT=rock make demo-destroy"
  mkdir -p "$WORK"
fi

if [ -z "${TF:-}" ] && [ -s "$WORK/cli" ]; then
  TF=$(<"$WORK/cli")
elif [ -z "${TF:-}" ]; then
  if command -v terraform >/dev/null; then TF=terraform; else TF=tofu; fi
fi
case $TF in
tofu)
  step "build OpenTofu into .cache/tools/tofu (first time: several minutes)" tofu
  TF_BIN=$(go run ./cmd/stack tofu 2>"$LOG") || fail "building OpenTofu failed"
  ;;
terraform)
  TF_BIN=$(command -v terraform) || {
    echo "demo: terraform is not on PATH. Install Terraform >= 1.11 (it cannot be built from the" >&2
    echo "      Go module proxy), or run the demo with OpenTofu: TF=tofu make demo" >&2
    exit 1
  }
  ;;
*)
  TF_BIN=$TF
  [ -x "$TF_BIN" ] || { echo "demo: TF=$TF: want terraform, tofu or the path of either" >&2; exit 1; }
  ;;
esac
tf() { "$TF_BIN" "$@"; }
TF_NAME=$(basename "$TF_BIN")
echo "==> using $TF_NAME ($TF_BIN, $(tf version 2>/dev/null | grep -m1 -E "^(Terraform|OpenTofu) v"))"

step "build the provider and start the local stack (first time: several minutes)" stack
go run ./cmd/stack up >"$LOG" 2>&1 || fail "the stack did not start"
# shellcheck disable=SC1091
source .stack/env
if [ "$DIALECT" = rock ]; then
  export GALAXIAS_ENDPOINT=$GALAXIAS_ROCK_ENDPOINT GALAXIAS_TOKEN=$GALAXIAS_ROCK_TOKEN \
    GALAXIAS_USERNAME=$GALAXIAS_ROCK_USERNAME GALAXIAS_PASSWORD=$GALAXIAS_ROCK_PASSWORD \
    GALAXIAS_KUBECONFIG=$GALAXIAS_ROCK_KUBECONFIG
fi

export TF_IN_AUTOMATION=1 TF_INPUT=0
# Inputs that a real operator would keep in a vault. They are generated once
# and kept in .stack/demo/inputs (mode 600); none of them is ever printed.
INPUTS=$WORK/inputs
if [ ! -s "$INPUTS" ]; then
  umask 077
  rnd() { od -An -N16 -tx1 /dev/urandom | tr -d ' \n'; }
  {
    echo "TF_VAR_docker_password=$(rnd)"
    # 18 characters of three kinds: the rock dialect takes 6 to 20, of two kinds at least
    echo "TF_VAR_deployer_password=Dp$(rnd | cut -c1-16)"
  } >"$INPUTS"
  umask 022
fi
set -a
# shellcheck disable=SC1090
source "$INPUTS"
set +a
# The cluster's kubeconfig: the stack's Kubernetes API server (kube-apiserver on etcd, no
# kubelet), which Galaxias checks a cluster against and installs the release into.
TF_VAR_kubeconfig=$GALAXIAS_KUBECONFIG
export TF_VAR_kubeconfig

# The configuration runs from a copy, so that its state stays out of the tree.
rm -f "$WORK"/*.tf
cp examples/quickstart/*.tf "$WORK/"
cd "$WORK"

tf_init_if_needed() {
  # dev_overrides (TF_CLI_CONFIG_FILE) serve plan and apply without init; a
  # configuration with modules or a backend needs init, from the filesystem mirror.
  if grep -qE '^[[:space:]]*(module|backend)[[:space:]]' ./*.tf; then
    step "$TF_NAME init" init
    TF_CLI_CONFIG_FILE=$TF_CLI_CONFIG_FILE_MIRROR tf init -upgrade -no-color >"$LOG" 2>&1 ||
      fail "$TF_NAME init failed"
  fi
}

# Where the applied release is noted, for destroy to check that nothing of it is left.
RELEASE_FILE=$WORK/release
case $MODE in
apply)
  cd "$ROOT"
  step "seed the application's repository, and push its charts to the chart repository (go run ./cmd/stack seed-demo)" seed
  go run ./cmd/stack seed-demo >"$LOG" 2>&1 || fail "seeding failed"
  sed 's/^/    /' "$LOG"
  cd "$WORK"

  tf_init_if_needed
  step "$TF_NAME apply examples/quickstart" apply
  echo "$TF" >"$WORK/cli"
  tf apply -auto-approve -no-color >"$LOG" 2>&1 || fail "$TF_NAME apply failed"
  grep -E '^Apply complete' "$LOG" | sed 's/^/    /'
  # What runs, as Galaxias's instance of the app says.
  APP_ID=$(tf output -raw galaxias_app_id 2>>"$LOG")
  running() {
    curl -sS -H "Authorization: Bearer $GALAXIAS_TOKEN" "$GALAXIAS_ENDPOINT/v1/instances?app_id=$APP_ID&page_num=1&page_size=100" 2>>"$LOG" |
      grep -o '"chart_version":"[^"]*"' | head -1 | cut -d'"' -f4
  }
  echo "    the release runs $(running)"

  # The pipeline's part: a build of release $BUILD uploads its chart, and its
  # deploy step (repository/deploy.sh, what .drone.yml runs) deploys it with
  # what the build gets injected. Drone never shows a secret's value, so the
  # token and the ids come from Terraform's outputs: the values it wrote to Drone.
  step "the pipeline builds release $BUILD: a commit and its chart (go run ./cmd/stack seed-demo -build $BUILD)" build
  (cd "$ROOT" && go run ./cmd/stack seed-demo -build "$BUILD") >"$LOG" 2>&1 || fail "the build failed"
  BUILT=$(awk -v r="$BUILD" '$3 == "APP_VERSION" && $4 == r { print $NF }' "$LOG")
  [ -n "$BUILT" ] || fail "the build made no chart version of $BUILD"
  if grep -q '^nothing to change' "$LOG"; then
    echo "    chart $DEMO_CHART $BUILT (built by an earlier make demo)"
  else
    echo "    chart $DEMO_CHART $BUILT uploaded"
  fi

  step "the pipeline's deploy step: repository/deploy.sh deploys $BUILT" deploy
  (
    GALAXIAS_API_TOKEN=$(tf output -raw galaxias_api_token) &&
      GALAXIAS_APP_ID=$(tf output -raw galaxias_app_id) &&
      GALAXIAS_PROJECT_ENV_ID=$(tf output -raw galaxias_project_env_id) &&
      export GALAXIAS_API_TOKEN GALAXIAS_APP_ID GALAXIAS_PROJECT_ENV_ID &&
      CHART_NAME=$DEMO_CHART CHART_VERSION=$BUILT DEPLOY_DESCRIPTION="make demo: the pipeline's deploy step" \
        sh "$ROOT/examples/quickstart/repository/deploy.sh"
  ) >"$LOG" 2>&1 || fail "the deploy step failed"
  sed 's/^/    /' "$LOG"
  for _ in $(seq 60); do
    INSTANCE=$(running)
    [ "$INSTANCE" != "$BUILT" ] || break
    sleep 1
  done
  [ "$INSTANCE" = "$BUILT" ] || fail "after the deploy step the release runs ${INSTANCE:-nothing}, not $BUILT"
  echo "    the release runs $BUILT now (Galaxias's instance)"

  step "$TF_NAME plan -detailed-exitcode (must report no changes: the pipeline's deploy is no drift)" plan
  set +e
  tf plan -detailed-exitcode -no-color >"$LOG" 2>&1
  rc=$?
  set -e
  [ $rc -eq 0 ] || fail "the plan after apply and the pipeline's deploy is not empty (exit $rc)"
  echo "    no changes"

  # The release where a user looks: the Deployment in the stack's Kubernetes API server.
  DEPLOYED=$(tf output -json deployed 2>>"$LOG")
  field() { printf '%s' "$DEPLOYED" | grep -o "\"$1\":\"[^\"]*\"" | cut -d'"' -f4; }
  step "the release in the cluster's API server" kube
  printf '%s %s\n' "$(field namespace)" "$(field release)" >"$RELEASE_FILE"
  read -r KNS KREL <"$RELEASE_FILE"
  (cd "$ROOT" && go run ./cmd/stack release "$KNS" "$KREL") >"$LOG" 2>&1 || fail "the release's Deployment is not in the API server"
  sed 's/^/    /' "$LOG"
  echo "    (pods never run: the stack's API server has no kubelet; KUBECONFIG in .stack/env serves kubectl and helm)"

  step "summary" summary
  REPO=$(tf output -raw drone_repo 2>>"$LOG" | sed -E 's#^https?://[^/]+/##')
  APP_ID=$(tf output -raw galaxias_app_id 2>>"$LOG")
  PE_ID=$(tf output -raw galaxias_project_env_id 2>>"$LOG")
  HOOKS=$(curl -sS -H "Authorization: token $GITEA_TOKEN" "$GITEA_URL/api/v1/repos/$REPO/hooks" 2>>"$LOG" |
    grep -o '"type":"gitea"' | wc -l)
  INSTANCE=$(running)
  cat <<SUMMARY

Created on the local stack by $TF_NAME ($(tf state list | wc -l) objects in $WORK/terraform.tfstate):
  Gitea     repository $REPO with .drone.yml and chart/ (seeded), $HOOKS webhook(s) installed by Drone:
              $GITEA_URL/$REPO/settings/hooks
  Drone     repository active and trusted, timeout 30 min, cron "nightly" (02:00:00), secrets
            docker_username, docker_password, galaxias_api_token (those two write-only),
            galaxias_app_id and galaxias_project_env_id:
              $DRONE_SERVER/$REPO
  Galaxias  project aurora, cluster demo-cluster, environment staging, app $APP_ID with its values,
            service account aurora-deployer (its token is the galaxias_api_token secret),
            release $(field release) in namespace $(field namespace), deployed by $TF_NAME on its first apply;
            the pipeline's deploy step deployed $BUILT after it (Galaxias's instance runs ${INSTANCE:-?}):
              source .stack/env; curl -H "Authorization: Bearer \$$TOKEN_VAR" "$GALAXIAS_ENDPOINT/v1/instances?app_id=$APP_ID&page_num=1&page_size=100"
            GALAXIAS_APP_ID=$APP_ID GALAXIAS_PROJECT_ENV_ID=$PE_ID reach the pipeline as the Drone secrets
            galaxias_app_id and galaxias_project_env_id; the deployment ignores chart_version (the pipeline deploys).
Working directory: $WORK   (source .stack/env there to run $TF_NAME yourself: $TF_BIN)
Done in $((SECONDS - START))s. Destroy with: $DESTROY_CMD
SUMMARY
  ;;
destroy)
  if [ ! -s terraform.tfstate ] || [ "$(tf state list 2>/dev/null | wc -l)" -eq 0 ]; then
    echo "    nothing to destroy"
  else
    tf_init_if_needed
    step "$TF_NAME destroy" destroy
    tf destroy -auto-approve -no-color >"$LOG" 2>&1 || fail "$TF_NAME destroy failed"
    grep -E '^Destroy complete' "$LOG" | sed 's/^/    /'
  fi
  # Drone 1.x disables a repository without removing its webhook from Gitea.
  step "remove the webhook Drone left in Gitea" unhook
  (cd "$ROOT" && go run ./cmd/stack seed-demo -remove-hooks) >"$LOG" 2>&1 || fail "removing the webhook failed"
  sed 's/^/    /' "$LOG"
  # The chart the demo's pipeline built (its commit stays in Gitea, as a build's would).
  step "remove the chart the demo's pipeline built (release $BUILD)" unbuild
  (cd "$ROOT" && go run ./cmd/stack seed-demo -remove-build "$BUILD") >"$LOG" 2>&1 || fail "removing the chart failed"
  sed 's/^/    /' "$LOG"
  step "$TF_NAME plan -destroy -detailed-exitcode (nothing may be left)" plan
  n=$(tf state list 2>>"$LOG" | wc -l)
  [ "$n" -eq 0 ] || fail "the state still lists $n resources"
  set +e
  tf plan -destroy -detailed-exitcode -no-color >"$LOG" 2>&1
  rc=$?
  set -e
  [ $rc -eq 0 ] || fail "a destroy plan still finds something to destroy (exit $rc)"
  rm -f "$WORK/cli"
  echo "    nothing left (the seeded Gitea repository and charts stay, as an organisation's would)"
  if [ -s "$RELEASE_FILE" ]; then
    step "nothing of the release left in the cluster's API server" kube
    read -r KNS KREL <"$RELEASE_FILE"
    (cd "$ROOT" && go run ./cmd/stack release -gone "$KNS" "$KREL") >"$LOG" 2>&1 || fail "destroy left the release in the API server"
    sed 's/^/    /' "$LOG"
    rm -f "$RELEASE_FILE"
  fi
  echo "Done in $((SECONDS - START))s."
  ;;
esac

STEP=""
