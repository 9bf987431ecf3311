# The names of a repository's secrets (Drone never returns values).
data "drone_secrets" "api" {
  repository = "octo/api"
}

output "api_secret_names" {
  value = data.drone_secrets.api.names
}
