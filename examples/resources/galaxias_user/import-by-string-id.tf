# The id is the numeric Galaxias id of the user. No token is in state until
# password_wo_version changes (see the CLI form below).
import {
  to = galaxias_user.deployer
  id = "4"
}
