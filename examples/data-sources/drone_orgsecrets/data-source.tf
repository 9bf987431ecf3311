# The names of an organisation's secrets (Drone never returns values).
data "drone_orgsecrets" "octo" {
  namespace = "octo"
}

output "octo_secret_names" {
  value = data.drone_orgsecrets.octo.names
}
