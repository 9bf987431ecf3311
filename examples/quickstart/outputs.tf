output "drone_repo" {
  description = "The repository's page in the SCM."
  value       = drone_repo.push.link
}

output "galaxias_app_id" {
  description = "GALAXIAS_APP_ID for the pipeline's deploy step (Drone secret galaxias_app_id)."
  value       = galaxias_app.push.id
}

output "galaxias_project_env_id" {
  description = "GALAXIAS_PROJECT_ENV_ID for the pipeline's deploy step (Drone secret galaxias_project_env_id)."
  value       = galaxias_project_environment.aurora_staging.id
}

output "galaxias_api_token" {
  description = "GALAXIAS_API_TOKEN for the pipeline's deploy step: the deployer's token (Drone holds it as galaxias_api_token and never shows it; make demo reads it here to play the step)."
  value       = galaxias_user.deployer.token
  sensitive   = true
}

output "deployed" {
  # No chart version here: the pipeline deploys, and an output that read the
  # version that runs (or the chart list) would change with every build and
  # make every plan report changes.
  description = "Where the release runs. The chart version that runs is the pipeline's last deploy: ask Galaxias (GET /v1/instances?app_id=...)."
  value = {
    release   = galaxias_deployment.push_staging.name
    namespace = galaxias_deployment.push_staging.namespace
  }
}
