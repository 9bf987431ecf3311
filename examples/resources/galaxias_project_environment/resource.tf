# Binds the project to the environment. Its id is the project_env_id that app
# configs and deployments use. Without `name`, Galaxias names it
# "<cluster name>-<namespace>".
resource "galaxias_project_environment" "aurora_staging" {
  project_id     = galaxias_project.aurora.id
  environment_id = galaxias_environment.staging.id
  name           = "staging"
}
