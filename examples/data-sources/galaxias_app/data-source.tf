data "galaxias_project" "payments" {
  name = "payments"
}

# An app of that project, by its exact name (also its Helm chart's name).
data "galaxias_app" "api" {
  project_id = data.galaxias_project.payments.id
  name       = "payments-api"
}

output "payments_api" {
  value = {
    id             = data.galaxias_app.api.id
    git_project_id = data.galaxias_app.api.git_project_id # null when Galaxias has none
    git_address    = data.galaxias_app.api.git_address
  }
}
