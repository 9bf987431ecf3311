# A deployment is imported by the numeric id of the Galaxias deployment. Where
# the server's deployment records do not name their project-environment (the
# public re-implementation), the provider finds the binding of the app's project
# to the deployment's environment; if the project binds that environment more
# than once, name it: <id>/<project_environment_id>.
terraform import galaxias_deployment.push_staging 21
