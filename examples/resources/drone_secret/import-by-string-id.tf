# The id is owner/repo/name. The value cannot be read back from Drone: the
# apply after the import writes the configured value.
import {
  to = drone_secret.docker_password
  id = "octo/api/docker_password"
}
