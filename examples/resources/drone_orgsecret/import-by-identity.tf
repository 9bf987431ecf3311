# Terraform v1.12.0 and later. Drone never returns the value: the apply after
# the import writes the configured value (in place).
import {
  to = drone_orgsecret.registry_password
  identity = {
    namespace = "octo"
    name      = "registry_password"
  }
}
