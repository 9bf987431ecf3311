# Bring up an environment pair for a whole project in one apply: the project,
# its cluster, two environments (namespaces) bound to the project, a service
# account for the pipelines, and every service through the galaxias-service
# module (Drone repository and secrets, Galaxias app, values and deployments).
#
# Connection settings come from DRONE_SERVER / DRONE_TOKEN and
# GALAXIAS_ENDPOINT / GALAXIAS_TOKEN. It uses a module, so run
# `terraform init` first.

terraform {
  required_version = ">= 1.11"
  required_providers {
    drone = {
      source = "galaxias/drone"
    }
    galaxias = {
      source = "galaxias/galaxias"
    }
  }
}

provider "drone" {}
provider "galaxias" {}

resource "galaxias_project" "this" {
  name        = var.project
  description = "Bootstrapped by examples/bootstrap-environment."
}

resource "galaxias_cluster" "this" {
  name              = "${var.project}-cluster"
  config_wo         = var.kubeconfig
  config_wo_version = var.kubeconfig_version
}

resource "galaxias_environment" "this" {
  for_each    = var.environments
  cluster_id  = galaxias_cluster.this.id
  namespace   = each.value.namespace
  description = "${var.project} ${each.key}"
}

resource "galaxias_project_environment" "this" {
  for_each       = var.environments
  project_id     = galaxias_project.this.id
  environment_id = galaxias_environment.this[each.key].id
  name           = "${var.project}-${each.key}"
}

# One service account for the project's pipelines; its token becomes every
# repository's galaxias_api_token secret.
resource "galaxias_user" "deployer" {
  name                = "${var.project}-deployer"
  role                = "deployer"
  password_wo         = var.deployer_password
  password_wo_version = var.deployer_password_version
}

module "service" {
  source   = "../modules/galaxias-service"
  for_each = var.services

  name        = each.key
  description = each.value.description
  project_id  = galaxias_project.this.id
  repository  = each.value.repository

  environments = {
    for env, e in var.environments : env => {
      project_environment_id = galaxias_project_environment.this[env].id
      chart_version          = lookup(each.value.chart_versions, env, null)
      values = yamlencode({
        replicaCount = lookup(each.value.replicas, env, e.replicas)
        image        = { repository = "${var.registry}/${each.value.repository}" }
        env          = merge(each.value.env, { ENVIRONMENT = env })
      })
    }
  }

  docker_username    = var.docker_username
  docker_password    = var.docker_password
  galaxias_api_token = galaxias_user.deployer.token
  cron               = each.value.nightly ? { expr = "0 0 2 * * *" } : null
}
