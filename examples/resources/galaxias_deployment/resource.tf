# Runs chart version 1.4.0-master-fe380d of the app in staging, with the
# app's values for that project-environment. Changing chart_version deploys
# again; destroying only forgets the deployment unless uninstall_on_destroy.
resource "galaxias_deployment" "push_staging" {
  app_id                 = galaxias_app.push.id
  project_environment_id = galaxias_project_environment.aurora_staging.id
  chart_version          = "1.4.0-master-fe380d"
  description            = "Deployed by Terraform."

  timeouts = {
    create = "15m"
    update = "15m"
  }

  # The values must exist before the first deployment.
  depends_on = [galaxias_app_config.push_staging]
}
