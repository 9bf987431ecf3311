data "galaxias_project" "payments" {
  name = "payments"
}

# A project's binding to an environment, by the name the platform shows
# (by default "<cluster>-<namespace>").
data "galaxias_project_environment" "staging" {
  project_id = data.galaxias_project.payments.id
  name       = "k8s-prod-staging"
}

output "staging_project_env_id" {
  # The project_env_id of app configs and deployments.
  value = data.galaxias_project_environment.staging.id
}
