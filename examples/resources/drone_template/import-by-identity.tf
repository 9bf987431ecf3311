# Terraform v1.12.0 and later.
import {
  to = drone_template.go
  identity = {
    namespace = "octo"
    name      = "go.yaml"
  }
}
