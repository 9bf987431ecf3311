# The id is <app_id>/<project_environment_id>.
import {
  to = galaxias_app_config.push_staging
  id = "7/8"
}
