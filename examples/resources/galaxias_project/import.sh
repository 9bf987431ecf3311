# A project is imported by its numeric Galaxias id.
terraform import galaxias_project.aurora 12
