# A project-environment is imported by its numeric Galaxias id alone (the
# project_env_id), without the project's id.
terraform import galaxias_project_environment.aurora_staging 8
