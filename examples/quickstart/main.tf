# The quickstart: everything an operator used to click through in Drone and
# Galaxias for one application, declared. `make demo` seeds the application's
# repository and charts (go run ./cmd/stack seed-demo), then applies this.
#
# Connection settings come from the environment: DRONE_SERVER and DRONE_TOKEN
# (a Drone system admin, so that `trusted` and `timeout` apply), and
# GALAXIAS_ENDPOINT with GALAXIAS_TOKEN (a Galaxias admin).

terraform {
  required_version = ">= 1.11"
  required_providers {
    drone = {
      source  = "galaxias/drone"
      version = "~> 0.1"
    }
    galaxias = {
      source  = "galaxias/galaxias"
      version = "~> 0.1"
    }
  }
}

provider "drone" {}
provider "galaxias" {}

# ---- Galaxias: where the application runs -----------------------------------

resource "galaxias_project" "aurora" {
  name        = var.project
  description = "Project Aurora: push notifications."
}

resource "galaxias_cluster" "main" {
  name        = var.cluster_name
  description = "The cluster Galaxias deploys Aurora to."
  # Write-only (Terraform 1.11+): sent to Galaxias, never stored in state.
  config_wo         = var.kubeconfig
  config_wo_version = 1
}

resource "galaxias_environment" "staging" {
  cluster_id  = galaxias_cluster.main.id
  namespace   = var.namespace
  description = "Aurora staging."
}

resource "galaxias_project_environment" "aurora_staging" {
  project_id     = galaxias_project.aurora.id
  environment_id = galaxias_environment.staging.id
  name           = "aurora-${var.namespace}"
}

# ---- Galaxias: the application and its values -------------------------------

resource "galaxias_app" "push" {
  project_id  = galaxias_project.aurora.id
  name        = var.app_name # also the name of its Helm chart
  description = "Sends push notifications. Repository: ${var.repository}."
}

resource "galaxias_app_config" "push_staging" {
  app_id                 = galaxias_app.push.id
  project_environment_id = galaxias_project_environment.aurora_staging.id
  values = yamlencode({
    replicaCount = var.replicas
    image = {
      repository = "${var.registry}/${var.repository}"
    }
    env = {
      PUSH_PROVIDER = "fcm"
      LOG_LEVEL     = "info"
    }
  })
}

# ---- Galaxias: the service account the pipeline deploys with -----------------

resource "galaxias_user" "deployer" {
  name                = "${var.project}-deployer"
  email               = "${var.project}-deployer@example.com"
  role                = "deployer" # may deploy, nothing else
  password_wo         = var.deployer_password
  password_wo_version = 1 # raise it to set a new password and get a new token
}

# ---- Drone: build the repository, with the pipeline's secrets ---------------

resource "drone_repo" "push" {
  repository = var.repository
  trusted    = true
  timeout    = 30
}

resource "drone_secret" "docker_username" {
  repository = drone_repo.push.repository
  name       = "docker_username"
  value      = var.docker_username
}

resource "drone_secret" "docker_password" {
  repository       = drone_repo.push.repository
  name             = "docker_password"
  value_wo         = var.docker_password
  value_wo_version = 1
}

# The service account's token goes straight into Drone, write-only: nobody
# copies it by hand and it is not stored with the secret. Its version follows
# the token, so a new token (a new password, a re-created user) is sent again.
resource "drone_secret" "galaxias_api_token" {
  repository       = drone_repo.push.repository
  name             = "galaxias_api_token"
  value_wo         = galaxias_user.deployer.token
  value_wo_version = parseint(substr(sha256(galaxias_user.deployer.token), 0, 12), 16)
}

# Where the pipeline deploys to: deploy.sh reads them as GALAXIAS_APP_ID and
# GALAXIAS_PROJECT_ENV_ID. Drone hands secrets to the steps that name them
# (from_secret), and Terraform keeps them in step with the ids.
resource "drone_secret" "galaxias_app_id" {
  repository = drone_repo.push.repository
  name       = "galaxias_app_id"
  value      = tostring(galaxias_app.push.id)
}

resource "drone_secret" "galaxias_project_env_id" {
  repository = drone_repo.push.repository
  name       = "galaxias_project_env_id"
  value      = tostring(galaxias_project_environment.aurora_staging.id)
}

# Drone 0.8 has no cron API: set enable_cron = false there (the provider
# says so at plan time otherwise).
resource "drone_cron" "nightly" {
  count      = var.enable_cron ? 1 : 0
  repository = drone_repo.push.repository
  name       = "nightly"
  expr       = "0 0 2 * * *" # 02:00:00 every day; Drone's expressions start with seconds
  branch     = "master"
}

# ---- Galaxias: the release; the pipeline deploys ----------------------------
# Two owners share the release: Terraform deploys it once (the newest master
# build) and rolls it out again when the values change; the pipeline's
# deploy step (repository/deploy.sh) deploys every build after that. So the
# chart version that runs is the pipeline's: ignore_changes keeps Terraform
# from rolling it back, a pipeline deploy is no drift (the plan stays empty),
# and a values rollout deploys the version that runs. A deploy that lands
# between plan and apply makes the apply fail (plan again); it is never
# rolled back. For Terraform owning the version instead, see the guide
# "Who deploys: Terraform or the pipeline".

data "galaxias_chart_versions" "push_master" {
  app_id = galaxias_app.push.id
  branch = "master"
}

resource "galaxias_deployment" "push_staging" {
  app_id                 = galaxias_app.push.id
  project_environment_id = galaxias_project_environment.aurora_staging.id
  chart_version          = data.galaxias_chart_versions.push_master.latest # the first deployment only
  description            = "declared in examples/quickstart"

  # Roll the release out again whenever the values change (e.g. var.replicas),
  # and deploy only once they are written: the reference orders the two.
  config_revision = galaxias_app_config.push_staging.revision

  lifecycle {
    ignore_changes = [chart_version] # the pipeline deploys
  }

  # terraform destroy uninstalls the release (uninstall_on_destroy defaults to
  # true), so that the app and the environment can be deleted after it.
}
