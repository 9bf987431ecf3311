# One service: its Drone repository with the pipeline's secrets, its Galaxias
# app, its Helm values per environment and its deployments.

locals {
  deployed = { for k, e in var.environments : k => e if e.deploy }
}

# ---- Drone ---------------------------------------------------------------------

resource "drone_repo" "this" {
  repository = var.repository
  trusted    = var.trusted
  timeout    = var.build_timeout
}

resource "drone_secret" "docker_username" {
  repository = drone_repo.this.repository
  name       = "docker_username"
  value      = var.docker_username
}

resource "drone_secret" "docker_password" {
  repository       = drone_repo.this.repository
  name             = "docker_password"
  value_wo         = var.docker_password
  value_wo_version = var.docker_password_version
}

resource "drone_secret" "galaxias_api_token" {
  repository = drone_repo.this.repository
  name       = "galaxias_api_token"
  value_wo   = var.galaxias_api_token
  # Follows the token: a new token is sent again, the same one never.
  value_wo_version = parseint(substr(sha256(var.galaxias_api_token), 0, 12), 16)
}

resource "drone_cron" "this" {
  count      = var.cron == null ? 0 : 1
  repository = drone_repo.this.repository
  name       = var.cron.name
  expr       = var.cron.expr
  branch     = var.cron.branch
}

# ---- Galaxias ------------------------------------------------------------------

resource "galaxias_app" "this" {
  project_id  = var.project_id
  name        = var.name
  description = var.description
}

resource "galaxias_app_config" "this" {
  for_each               = var.environments
  app_id                 = galaxias_app.this.id
  project_environment_id = each.value.project_environment_id
  values                 = each.value.values
}

data "galaxias_chart_versions" "this" {
  app_id = galaxias_app.this.id
  branch = var.chart_branch
}

resource "galaxias_deployment" "this" {
  for_each               = local.deployed
  app_id                 = galaxias_app.this.id
  project_environment_id = each.value.project_environment_id
  chart_version          = each.value.chart_version != null ? each.value.chart_version : data.galaxias_chart_versions.this.latest
  description            = var.deployment_description != null ? var.deployment_description : "galaxias-service module, environment ${each.key}"
  uninstall_on_destroy   = var.uninstall_on_destroy

  # A change of the environment's values rolls the release out; the reference
  # also makes the deployment wait for the values.
  config_revision = galaxias_app_config.this[each.key].revision

  lifecycle {
    precondition {
      condition     = each.value.chart_version != null || data.galaxias_chart_versions.this.latest != null
      error_message = "No chart version of ${var.name} was built from branch ${var.chart_branch}: upload one, or give chart_version."
    }
  }
}
