# The id is the numeric Galaxias id of the project.
import {
  to = galaxias_project.aurora
  id = "12"
}
