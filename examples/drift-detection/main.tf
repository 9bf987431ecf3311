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
      source  = "galaxias/drone"
      version = "~> 0.1"
    }
    galaxias = {
      source  = "galaxias/galaxias"
      version = "~> 0.1"
    }
  }
}

# Connection settings come from DRONE_SERVER / DRONE_TOKEN and
# GALAXIAS_ENDPOINT / GALAXIAS_TOKEN.
provider "drone" {}
provider "galaxias" {}

module "environment" {
  source = "../bootstrap-environment"

  project           = var.project
  environments      = var.environments
  services          = var.services
  cluster           = var.cluster_id == null ? null : { id = var.cluster_id }
  kubeconfig        = var.kubeconfig
  docker_password   = var.docker_password
  deployer_email    = var.deployer_email
  deployer_password = var.deployer_password
}

# The repository that holds this configuration, and the cron job its drift
# pipeline (trigger: event cron, cron drift; see the guide) runs on. Drone
# builds its default branch at 06:00:00 every day (six fields, seconds first).
resource "drone_repo" "infrastructure" {
  repository = var.infrastructure_repository
}

resource "drone_cron" "drift" {
  repository = drone_repo.infrastructure.repository
  name       = "drift"
  expr       = var.drift_schedule
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

variable "infrastructure_repository" {
  description = "The repository (owner/name) of this configuration, whose .drone.yml runs drift-check.sh on the cron job named drift."
  type        = string
}

variable "drift_schedule" {
  description = "When the drift check runs: Drone's six-field expression (seconds first) or a descriptor such as @hourly."
  type        = string
  default     = "0 0 6 * * *"
}

variable "cluster_id" {
  description = "Id of an existing Galaxias cluster; null: the module creates one from kubeconfig."
  type        = number
  default     = null
}

variable "kubeconfig" {
  description = "Kubeconfig of the cluster to create, write-only; null when cluster_id is given."
  type        = string
  sensitive   = true
  ephemeral   = true
  default     = null
}

variable "docker_password" {
  description = "Registry password, write-only."
  type        = string
  sensitive   = true
  ephemeral   = true
}

variable "deployer_email" {
  description = "Email of the pipelines' service account."
  type        = string
}

variable "deployer_password" {
  description = "Password of the service account, write-only."
  type        = string
  sensitive   = true
  ephemeral   = true
}

output "cluster_id" {
  description = "Id of the Galaxias cluster."
  value       = module.environment.cluster_id
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
