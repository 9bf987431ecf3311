# The quickstart: what an operator used to click through by hand for one
# application, declared. `make demo` runs it against the local stack.

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

variable "repository" {
  description = "The application's repository in the SCM, owner/name."
  type        = string
}

variable "docker_username" {
  description = "Registry user the pipeline pushes images as."
  type        = string
  default     = "robot-aurora"
}

variable "docker_password" {
  description = "Registry password; sent to Drone write-only, never stored in state."
  type        = string
  sensitive   = true
  ephemeral   = true
}

# Connection settings come from DRONE_SERVER / DRONE_TOKEN.
provider "drone" {}

resource "drone_repo" "app" {
  repository = var.repository
  trusted    = true
  timeout    = 30
}

resource "drone_secret" "docker_username" {
  repository = drone_repo.app.repository
  name       = "docker_username"
  value      = var.docker_username
}

resource "drone_secret" "docker_password" {
  repository       = drone_repo.app.repository
  name             = "docker_password"
  value_wo         = var.docker_password
  value_wo_version = 1
}

output "drone_repo" {
  value = drone_repo.app.link
}
