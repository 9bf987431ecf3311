# A value kept in Terraform state (marked sensitive).
resource "drone_secret" "docker_username" {
  repository = drone_repo.api.repository
  name       = "docker_username"
  value      = "octo-bot"
}

# A write-only value (Terraform 1.11 or later): sent to Drone but never stored
# in state or plan. Raise value_wo_version to send a new value.
resource "drone_secret" "docker_password" {
  repository            = drone_repo.api.repository
  name                  = "docker_password"
  value_wo              = var.docker_password
  value_wo_version      = 1
  allow_on_pull_request = false
}

variable "docker_password" {
  type      = string
  sensitive = true
  ephemeral = true
}
