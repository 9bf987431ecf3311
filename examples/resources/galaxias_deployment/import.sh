# The release that runs now for an app in a project-environment, whatever
# deployment made it (by hand, by a pipeline), is imported by
# <app_id>/<project_environment_id>.
terraform import galaxias_deployment.push_staging 7/8

# A deployment can also be imported by the numeric id of the Galaxias
# deployment. Where the server's deployment records do not name their
# project-environment (the public re-implementation), the provider finds the
# binding of the app's project to the deployment's environment; if the project
# binds that environment more than once, import the release with
# <app_id>/<project_environment_id> instead.
terraform import galaxias_deployment.push_staging 21
