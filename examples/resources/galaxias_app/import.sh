# An app is imported by its numeric Galaxias id (the GALAXIAS_APP_ID of
# pipelines).
terraform import galaxias_app.push 7
