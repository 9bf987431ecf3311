# The Helm values the app is deployed with in one project-environment. The
# YAML is compared by its data: reordering keys, quoting or comments is not a
# change. file("values-staging.yaml") works as well as yamlencode(). Its
# revision changes exactly when the data does: a galaxias_deployment with
# config_revision = galaxias_app_config.push_staging.revision rolls out then.
resource "galaxias_app_config" "push_staging" {
  app_id                 = galaxias_app.push.id
  project_environment_id = galaxias_project_environment.aurora_staging.id
  values = yamlencode({
    replicaCount = 2
    image = {
      repository = "registry.example.com/aurora/push-service"
    }
    env = {
      LOG_LEVEL = "info"
    }
  })
}
