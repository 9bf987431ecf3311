# The environment of examples/bootstrap-environment, with its state in
# PostgreSQL (Terraform's pg backend), as CI's drift check runs it.
#
# The backend reads its connection string from PG_CONN_STR, e.g.
#   export PG_CONN_STR=postgres://tf@127.0.0.1:15432/postgres?sslmode=disable
# (go run ./cmd/stack postgres starts such a server on loopback), and
# optionally the schema from PG_SCHEMA_NAME (default terraform_remote_state).
# The pg backend locks the state with a PostgreSQL advisory lock: a second
# apply waits for -lock-timeout, then fails; it never writes over the first.

terraform {
  required_version = ">= 1.11"
  backend "pg" {}
  required_providers {
    drone = {
      source = "galaxias/drone"
    }
    galaxias = {
      source = "galaxias/galaxias"
    }
  }
}

module "environment" {
  source = "../bootstrap-environment"

  project           = var.project
  environments      = var.environments
  services          = var.services
  kubeconfig        = var.kubeconfig
  docker_password   = var.docker_password
  deployer_password = var.deployer_password
}

variable "project" {
  description = "Galaxias project name (see examples/bootstrap-environment)."
  type        = string
  default     = "aurora-platform"
}

variable "environments" {
  description = "Environments by label; null: the bootstrap example's default."
  type = map(object({
    namespace = string
    replicas  = optional(number, 1)
  }))
  default = null
}

variable "services" {
  description = "Services by app name; null: the bootstrap example's default."
  type = map(object({
    repository     = string
    description    = optional(string, "")
    env            = optional(map(string), {})
    replicas       = optional(map(number), {})
    chart_versions = optional(map(string), {})
    nightly        = optional(bool, true)
  }))
  default = null
}

variable "kubeconfig" {
  description = "Kubeconfig of the cluster, write-only."
  type        = string
  sensitive   = true
  ephemeral   = true
}

variable "docker_password" {
  description = "Registry password, write-only."
  type        = string
  sensitive   = true
  ephemeral   = true
}

variable "deployer_password" {
  description = "Password of the service account, write-only."
  type        = string
  sensitive   = true
  ephemeral   = true
}

output "services" {
  description = "What runs where."
  value       = module.environment.services
}

output "project_id" {
  description = "Id of the Galaxias project."
  value       = module.environment.project_id
}

output "project_environment_ids" {
  description = "Per environment label: the project_env_id."
  value       = module.environment.project_environment_ids
}
