# A service account for a pipeline. Its token (sensitive) is what the
# pipeline authenticates with; raising password_wo_version sets password_wo as
# the new password and rotates the token. Nobody else may log in as this
# user: a login replaces the token.
resource "galaxias_user" "deployer" {
  name                = "aurora-deployer"
  email               = "aurora-deployer@example.com"
  role                = "deployer"
  password_wo         = var.deployer_password
  password_wo_version = 1
}

variable "deployer_password" {
  type      = string
  sensitive = true
  ephemeral = true
}

# For example, hand the token to the pipeline as a Drone secret.
output "deployer_token" {
  value     = galaxias_user.deployer.token
  sensitive = true
}
