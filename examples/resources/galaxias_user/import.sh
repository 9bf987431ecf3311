# A user is imported by its numeric Galaxias id. Galaxias never returns a
# token, so an imported user has none in state until password_wo_version
# changes (which sets the password and logs in again).
terraform import galaxias_user.deployer 4
