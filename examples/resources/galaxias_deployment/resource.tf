# Runs chart version 1.4.0-master-fe380d of the app in staging, with the
# app's values for that project-environment. Changing chart_version deploys
# again; so does a change of the values, through config_revision. Destroying
# it uninstalls the release (uninstall_on_destroy defaults to true).
resource "galaxias_deployment" "push_staging" {
  app_id                 = galaxias_app.push.id
  project_environment_id = galaxias_project_environment.aurora_staging.id
  chart_version          = "1.4.0-master-fe380d"
  description            = "Deployed by Terraform."

  # Roll out on every change of the values; this also makes the deployment
  # wait for them, without depends_on.
  config_revision = galaxias_app_config.push_staging.revision

  timeouts = {
    create = "15m"
    update = "15m"
  }
}
