# A pipeline template (Drone 2.0 or later).
data "drone_template" "go" {
  namespace = "octo"
  name      = "go.yaml"
}

output "go_template" {
  value = data.drone_template.go.data
}
