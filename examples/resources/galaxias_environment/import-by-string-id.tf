# The id is the numeric Galaxias id of the environment.
import {
  to = galaxias_environment.staging
  id = "5"
}
