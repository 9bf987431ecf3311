output "drone_repo" {
  description = "The repository's page in the SCM."
  value       = drone_repo.push.link
}

output "galaxias_app_id" {
  description = "GALAXIAS_APP_ID for the pipeline's deploy step."
  value       = galaxias_app.push.id
}

output "galaxias_project_env_id" {
  description = "GALAXIAS_PROJECT_ENV_ID for the pipeline's deploy step."
  value       = galaxias_project_environment.aurora_staging.id
}

output "chart_versions" {
  description = "The master builds of the app's chart, oldest first."
  value       = data.galaxias_chart_versions.push_master.versions
}

output "deployed" {
  description = "What runs in the environment."
  value = {
    release       = galaxias_deployment.push_staging.name
    namespace     = galaxias_deployment.push_staging.namespace
    chart_version = galaxias_deployment.push_staging.chart_version
    status        = galaxias_deployment.push_staging.status
  }
}
