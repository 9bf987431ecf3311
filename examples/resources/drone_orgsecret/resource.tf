# Available to every repository of the "octo" organisation. The value is kept
# in Terraform state (marked sensitive).
resource "drone_orgsecret" "registry_username" {
  namespace = "octo"
  name      = "registry_username"
  value     = "octo-bot"
}

# A write-only value (Terraform 1.11 or later): sent to Drone, never stored in
# state or plan. Raise value_wo_version to send a new value.
resource "drone_orgsecret" "registry_password" {
  namespace                  = "octo"
  name                       = "registry_password"
  value_wo                   = var.registry_password
  value_wo_version           = 1
  allow_on_pull_request      = false
  allow_push_on_pull_request = false
}

variable "registry_password" {
  type      = string
  sensitive = true
  ephemeral = true
}
