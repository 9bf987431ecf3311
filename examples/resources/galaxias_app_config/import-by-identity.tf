# Terraform v1.12.0 and later.
import {
  to = galaxias_app_config.push_staging
  identity = {
    app_id                 = 7
    project_environment_id = 8
  }
}
