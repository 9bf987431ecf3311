# Bring up an environment pair for a whole project in one apply: the project,
# its cluster (or an existing one, cluster), two environments (namespaces)
# bound to the project, a service account for the pipelines, and every
# service through the galaxias-service module (Drone repository and secrets,
# Galaxias app, values and deployments).
#
# A module (see versions.tf): call it from a root configuration that
# configures the drone and galaxias providers; examples/drift-detection does.

resource "galaxias_project" "this" {
  name        = var.project
  description = "Bootstrapped by examples/bootstrap-environment."
}

# Created only when no existing cluster is given (clusters are usually
# shared by several projects).
resource "galaxias_cluster" "this" {
  count             = var.cluster == null ? 1 : 0
  name              = "${var.project}-cluster"
  config_wo         = var.kubeconfig
  config_wo_version = var.kubeconfig_version
}

# The cluster was galaxias_cluster.this before it became optional.
moved {
  from = galaxias_cluster.this
  to   = galaxias_cluster.this[0]
}

locals {
  cluster_id = var.cluster != null ? var.cluster.id : galaxias_cluster.this[0].id
}

resource "galaxias_environment" "this" {
  for_each    = var.environments
  cluster_id  = local.cluster_id
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
  email               = var.deployer_email
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
      namespace              = e.namespace
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
