package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/galaxias/terraform-provider-galaxias/internal/testing/stack"
)

const leakConfig = `
terraform {
  required_providers {
    drone    = { source = "galaxias/drone" }
    galaxias = { source = "galaxias/galaxias" }
  }
}

variable "repository" { type = string }
variable "suffix" { type = string }
variable "gx_username" { type = string }
variable "secret_value" {
  type      = string
  sensitive = true
}
variable "kubeconfig" {
  type      = string
  sensitive = true
}
variable "secret_wo" {
  type      = string
  sensitive = true
  ephemeral = true
}
variable "kubeconfig_wo" {
  type      = string
  sensitive = true
  ephemeral = true
}
variable "user_password" {
  type      = string
  sensitive = true
  ephemeral = true
}

provider "drone" {}
provider "galaxias" {}
provider "galaxias" {
  alias    = "login"
  username = var.gx_username # the password comes from GALAXIAS_PASSWORD
}

resource "drone_repo" "r" {
  repository = var.repository
}

resource "drone_secret" "plain" {
  repository = drone_repo.r.repository
  name       = "plain"
  value      = var.secret_value
}

resource "drone_secret" "wo" {
  repository       = drone_repo.r.repository
  name             = "docker_password"
  value_wo         = var.secret_wo
  value_wo_version = 1
}

resource "galaxias_cluster" "plain" {
  provider = galaxias.login
  name     = "leak-plain-${var.suffix}"
  config   = var.kubeconfig
}

resource "galaxias_cluster" "wo" {
  name              = "leak-wo-${var.suffix}"
  config_wo         = var.kubeconfig_wo
  config_wo_version = 1
}

resource "galaxias_user" "ci" {
  name                = "leak-ci-${var.suffix}"
  password_wo         = var.user_password
  password_wo_version = 1
}

resource "drone_secret" "token" {
  repository       = drone_repo.r.repository
  name             = "galaxias_api_token"
  value_wo         = galaxias_user.ci.token
  value_wo_version = 1
}
`

// TestSecretsNeverLeak applies and plans with TF_LOG=trace, then searches the
// log, the state and the plan's JSON: write-only values appear nowhere, and
// provider credentials and sensitive values never in the log; under each CLI.
func TestSecretsNeverLeak(t *testing.T) {
	root, env := stackEnv(t)
	forEachCLI(t, func(t *testing.T, c cli) { testSecretsNeverLeak(t, c, root, env) })
}

func testSecretsNeverLeak(t *testing.T, c cli, root string, env *stack.Env) {
	svc := seedServices(t, root, env, "leak-"+randomSuffix(t))[0]
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(leakConfig), 0o600); err != nil {
		t.Fatal(err)
	}
	suffix := randomSuffix(t)
	secrets := map[string]string{ // name -> value; every value is unique and searchable
		"secret_value":  "plain-secret-" + suffix,
		"secret_wo":     "wo-secret-" + suffix,
		"kubeconfig":    "apiVersion: v1\nkind: Config\n# plain-kubeconfig-" + suffix + "\n",
		"kubeconfig_wo": "apiVersion: v1\nkind: Config\n# wo-kubeconfig-" + suffix + "\n",
		"user_password": "wo-password-" + suffix,
	}
	logPath := filepath.Join(dir, "trace.log")
	extra := []string{"TF_LOG=trace", "TF_LOG_PATH=" + logPath,
		"TF_VAR_repository=" + svc.Repository, "TF_VAR_suffix=" + suffix, "TF_VAR_gx_username=" + env.GalaxiasUsername,
		"GALAXIAS_PASSWORD=" + env.GalaxiasPassword}
	for k, v := range secrets {
		extra = append(extra, "TF_VAR_"+k+"="+v)
	}
	tf := newCLIRunner(t, c, env, dir, extra...)
	must(t, tf, []string{"init", "-upgrade", "-no-color"})
	defer must(t, tf, []string{"destroy", "-auto-approve", "-no-color"})
	must(t, tf, []string{"apply", "-auto-approve", "-no-color"})
	must(t, tf, []string{"plan", "-no-color", "-out=plan.bin"})
	planJSON := must(t, tf, []string{"show", "-json", "plan.bin"}).Stdout

	read := func(p string) string {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	logText, state := read(logPath), read(filepath.Join(dir, "terraform.tfstate"))
	if !strings.Contains(logText, "drone") || !strings.Contains(logText, "galaxias") || len(logText) < 10000 {
		t.Fatalf("the trace log looks empty (%d bytes): the test would prove nothing", len(logText))
	}
	// The providers' own HTTP logs must be there too: tfx.QuietLogs only
	// silences them when no TF_LOG* is set.
	if n := strings.Count(logText, "sending request"); n < 5 {
		t.Fatalf("%d \"sending request\" lines from the providers' HTTP layer in the trace log, want many", n)
	}
	userToken := ""
	if i := strings.Index(state, `"token": "`); i >= 0 {
		userToken = strings.SplitN(state[i+len(`"token": "`):], `"`, 2)[0]
	}
	if len(userToken) < 20 {
		t.Fatalf("no galaxias_user token in state; got %q", userToken)
	}

	check := func(where, text, name, value string) {
		t.Helper()
		for _, form := range []string{value, strings.ReplaceAll(value, "\n", `\n`)} {
			if form != "" && strings.Contains(text, form) {
				t.Errorf("%s found in the %s", name, where)
				return
			}
		}
	}
	// Nowhere: write-only values and the providers' credentials. (Values of
	// non-ephemeral variables are in the plan file by Terraform's design, so
	// the credentials come from the environment, as in CI.)
	for _, name := range []string{"secret_wo", "kubeconfig_wo", "user_password"} {
		for where, text := range map[string]string{"log": logText, "state": state, "plan JSON": planJSON} {
			check(where, text, name, secrets[name])
		}
	}
	for name, v := range map[string]string{"drone token": env.DroneToken, "galaxias token": env.GalaxiasToken, "galaxias password": env.GalaxiasPassword} {
		for where, text := range map[string]string{"log": logText, "state": state, "plan JSON": planJSON} {
			check(where, text, name, v)
		}
	}
	// Sensitive values: in state (that is where Terraform keeps them), never in the log.
	for _, name := range []string{"secret_value", "kubeconfig"} {
		check("log", logText, name, secrets[name])
		if !strings.Contains(state, strings.ReplaceAll(secrets[name], "\n", `\n`)) {
			t.Errorf("%s is not in state: the search above may be looking for the wrong form", name)
		}
	}
	check("log", logText, "galaxias_user token", userToken)
	t.Logf("searched %d bytes of trace log, %d of state, %d of plan JSON", len(logText), len(state), len(planJSON))
}
