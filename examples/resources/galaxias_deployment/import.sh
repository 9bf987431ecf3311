# The release that runs now for an app in a project-environment, whatever
# deployment made it (by hand, by a pipeline), is imported by
# <app_id>/<project_environment_id>.
terraform import galaxias_deployment.push_staging 7/8

# A deployment can also be imported by the numeric id of the Galaxias deployment.
terraform import galaxias_deployment.push_staging 21
