# Terraform v1.12.0 and later.
import {
  to = galaxias_environment.staging
  identity = {
    id = 5
  }
}
