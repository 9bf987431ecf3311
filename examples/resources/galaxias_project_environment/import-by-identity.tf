# Terraform v1.12.0 and later.
import {
  to = galaxias_project_environment.aurora_staging
  identity = {
    project_id = 12
    id         = 8
  }
}
