# App values are imported by <app_id>/<project_environment_id>.
terraform import galaxias_app_config.push_staging 7/8
