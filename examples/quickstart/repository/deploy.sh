#!/bin/sh
# The pipeline's deploy step (the founding note's deploy.py, in POSIX sh and
# curl): ask Galaxias to roll one chart version out to one environment.
#
#   GALAXIAS_ENDPOINT        Galaxias API base URL, e.g. http://galaxias.example.com:8888
#   GALAXIAS_API_TOKEN       token of the deployer service account (Drone secret galaxias_api_token)
#   GALAXIAS_APP_ID          the app's id            (Drone secret galaxias_app_id)
#   GALAXIAS_PROJECT_ENV_ID  the project environment (Drone secret galaxias_project_env_id)
#   CHART_NAME               the chart, e.g. aurora-push-service
#   CHART_VERSION            the version this build uploaded, e.g. 1.0.0-master-fe380d
#   DEPLOY_DESCRIPTION       optional, e.g. "drone build 42"
#
# It sends the token as the cookie token=<jwt>, as deploy.py did (Galaxias
# also takes "Authorization: Bearer <jwt>"). It prints the deployment Galaxias
# made and exits 0, or prints the server's answer and exits 1.
set -eu

fail() {
  echo "deploy.sh: $*" >&2
  exit 1
}

for v in GALAXIAS_ENDPOINT GALAXIAS_API_TOKEN GALAXIAS_APP_ID GALAXIAS_PROJECT_ENV_ID CHART_NAME CHART_VERSION; do
  eval "val=\${$v:-}"
  [ -n "$val" ] || fail "$v is not set"
done
for v in GALAXIAS_APP_ID GALAXIAS_PROJECT_ENV_ID; do
  eval "val=\$$v"
  case $val in
  *[!0-9]*) fail "$v must be a number, got \"$val\"" ;;
  esac
done
case $CHART_NAME$CHART_VERSION in
*[!A-Za-z0-9._+-]*) fail "CHART_NAME and CHART_VERSION may hold only letters, digits and . _ + -" ;;
esac
command -v curl >/dev/null 2>&1 || fail "curl is not installed"

# JSON string: escape backslashes and double quotes, drop control characters.
desc=$(printf '%s' "${DEPLOY_DESCRIPTION:-}" | tr -d '\000-\037' | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g')
body=$(printf '{"app_id": %s, "project_env_id": %s, "chart_name": "%s", "chart_version": "%s", "description": "%s"}' \
  "$GALAXIAS_APP_ID" "$GALAXIAS_PROJECT_ENV_ID" "$CHART_NAME" "$CHART_VERSION" "$desc")

out=$(mktemp)
trap 'rm -f "$out"' EXIT
# The token goes through a header read from stdin (-H @-), never the command line.
status=$(printf 'Cookie: token=%s\n' "$GALAXIAS_API_TOKEN" |
  curl -sS -o "$out" -w '%{http_code}' -X POST "${GALAXIAS_ENDPOINT%/}/v1/deployments" \
    -H @- -H 'Content-Type: application/json' --data-binary "$body") ||
  fail "POST ${GALAXIAS_ENDPOINT%/}/v1/deployments: curl failed"
case $status in
2??) ;;
*) fail "POST /v1/deployments answered $status: $(cat "$out")" ;;
esac

field() { sed -n "s/.*\"$1\": *\"\{0,1\}\([^\",}]*\).*/\1/p" "$out" | head -n 1; }
echo "deployed $CHART_NAME $CHART_VERSION: deployment $(field id), release $(field name) (app $GALAXIAS_APP_ID, project environment $GALAXIAS_PROJECT_ENV_ID)"
