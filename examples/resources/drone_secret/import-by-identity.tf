# Terraform v1.12.0 and later. The value cannot be read back from Drone: the
# apply after the import writes the configured value.
import {
  to = drone_secret.docker_password
  identity = {
    repository = "octo/api"
    name       = "docker_password"
  }
}
