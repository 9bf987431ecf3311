# An environment is imported by its numeric Galaxias id.
terraform import galaxias_environment.staging 5
