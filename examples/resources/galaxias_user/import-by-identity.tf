# Terraform v1.12.0 and later. No token is in state until password_wo_version
# changes.
import {
  to = galaxias_user.deployer
  identity = {
    id = 4
  }
}
