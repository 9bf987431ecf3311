# The names of an organisation's pipeline templates (Drone 2.0 or later).
data "drone_templates" "octo" {
  namespace = "octo"
}

output "octo_templates" {
  value = data.drone_templates.octo.names
}
