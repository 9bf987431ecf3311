# The release that runs now for an app in a project-environment:
# <app_id>/<project_environment_id>. The numeric id of a Galaxias deployment
# works too (see the CLI form below).
import {
  to = galaxias_deployment.push_staging
  id = "7/8"
}
