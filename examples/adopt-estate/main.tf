# Adopts every app of a Galaxias project, with its values, its running
# releases and its Drone repository and secrets, into one galaxias-service
# module instance per app: import blocks with for_each over the plural data
# sources, so that no id is written by hand.

terraform {
  required_providers {
    drone    = { source = "galaxias/drone", version = "~> 0.1" }
    galaxias = { source = "galaxias/galaxias", version = "~> 0.1" }
  }
}

provider "drone" {}
provider "galaxias" {}

variable "project_id" {
  type = number
}

# Helm values per app name and project-environment name, as exported from
# Galaxias (the values are configuration: Terraform sets them from now on).
variable "values" {
  type = map(map(string))
}

variable "docker_username" {
  type = string
}

variable "docker_password" {
  type      = string
  sensitive = true
  ephemeral = true
}

variable "galaxias_api_token" {
  type      = string
  sensitive = true
}

data "galaxias_apps" "all" {
  project_id = var.project_id
}

data "galaxias_project_environments" "all" {
  project_id = var.project_id
}

data "galaxias_releases" "running" {
  for_each               = local.envs
  project_environment_id = each.value.id
}

data "drone_repos" "all" {}

data "drone_secrets" "app" {
  for_each   = local.repositories
  repository = each.value
}

locals {
  apps       = { for a in data.galaxias_apps.all.apps : a.name => a }
  envs       = { for pe in data.galaxias_project_environments.all.project_environments : pe.name => pe }
  apps_by_id = { for a in data.galaxias_apps.all.apps : a.id => a.name }

  # Each app's Drone repository: the Git path Galaxias recorded, or else the
  # active repository named like the app (the re-implementation of Galaxias
  # records no Git path).
  repositories = {
    for name, a in local.apps : name => a.full_name != "" ? a.full_name : one([
      for r in data.drone_repos.all.repositories : r if split("/", r)[1] == name
    ])
  }

  # One entry per app and environment where it runs.
  releases = merge([
    for env, r in data.galaxias_releases.running : {
      for rel in r.releases : "${local.apps_by_id[rel.app_id]}/${env}" => merge(rel, {
        app = local.apps_by_id[rel.app_id]
        env = env
      })
    }
  ]...)

  # Every app in every environment has its values.
  configs = merge([
    for app in keys(local.apps) : {
      for env, pe in local.envs : "${app}/${env}" => { app = app, env = env, id = "${local.apps[app].id}/${pe.id}" }
    }
  ]...)

  # Per secret the module manages: the apps whose repository has it.
  secrets = {
    for name in ["docker_username", "docker_password", "galaxias_api_token"] : name => {
      for app, s in data.drone_secrets.app : app => "${s.repository}/${name}" if contains(s.names, name)
    }
  }
}

module "svc" {
  source   = "../modules/galaxias-service"
  for_each = local.apps

  name        = each.key
  description = each.value.description
  project_id  = var.project_id
  repository  = local.repositories[each.key]
  environments = {
    for env, pe in local.envs : env => {
      project_environment_id = pe.id
      values                 = var.values[each.key][env]
      chart_version          = try(local.releases["${each.key}/${env}"].chart_version, null)
      deploy                 = contains(keys(local.releases), "${each.key}/${env}")
    }
  }
  # An imported release has no description: keep it so (no change).
  deployment_description = ""
  trusted                = false

  docker_username    = var.docker_username
  docker_password    = var.docker_password
  galaxias_api_token = var.galaxias_api_token
}

import {
  for_each = local.apps
  to       = module.svc[each.key].galaxias_app.this
  id       = each.value.id
}

import {
  for_each = local.configs
  to       = module.svc[each.value.app].galaxias_app_config.this[each.value.env]
  id       = each.value.id
}

import {
  for_each = local.releases
  to       = module.svc[each.value.app].galaxias_deployment.this[each.value.env]
  id       = each.value.import_id
}

import {
  for_each = local.apps
  to       = module.svc[each.key].drone_repo.this
  id       = local.repositories[each.key]
}

import {
  for_each = local.secrets.docker_username
  to       = module.svc[each.key].drone_secret.docker_username
  id       = each.value
}

import {
  for_each = local.secrets.docker_password
  to       = module.svc[each.key].drone_secret.docker_password
  id       = each.value
}

import {
  for_each = local.secrets.galaxias_api_token
  to       = module.svc[each.key].drone_secret.galaxias_api_token
  id       = each.value
}
