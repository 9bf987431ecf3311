# Terraform v1.12.0 and later.
import {
  to = galaxias_project.aurora
  identity = {
    id = 12
  }
}
