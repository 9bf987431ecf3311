# A project made outside this configuration, by its exact name.
data "galaxias_project" "payments" {
  name = "payments"
}

output "payments_project_id" {
  value = data.galaxias_project.payments.id
}
