# The id is the numeric Galaxias id of the app.
import {
  to = galaxias_app.push
  id = "7"
}
