# The id is namespace/name. Drone never returns the value: the apply after the
# import writes the configured value (in place).
import {
  to = drone_orgsecret.registry_password
  id = "octo/registry_password"
}
