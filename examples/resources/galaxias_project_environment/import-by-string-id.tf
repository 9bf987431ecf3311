# The id is <project_id>/<id>; the id alone works too.
import {
  to = galaxias_project_environment.aurora_staging
  id = "12/8"
}
