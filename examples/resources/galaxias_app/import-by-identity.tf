# Terraform v1.12.0 and later: the identity is the numeric Galaxias id.
import {
  to = galaxias_app.push
  identity = {
    id = 7
  }
}
