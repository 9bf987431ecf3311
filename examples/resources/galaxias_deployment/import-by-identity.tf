# Terraform v1.12.0 and later: the release that runs now for an app in a
# project-environment.
import {
  to = galaxias_deployment.push_staging
  identity = {
    app_id                 = 7
    project_environment_id = 8
  }
}
