# A project-environment is imported by <project_id>/<id> (its id is the
# project_env_id of pipelines). The id alone works too: where the server has no
# lookup by id (the public re-implementation), the provider searches the
# project-environments of every project.
terraform import galaxias_project_environment.aurora_staging 12/8
