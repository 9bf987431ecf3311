# A user is imported by its numeric Galaxias id. Galaxias never returns a
# token, so an imported user has none in state until password_wo_version
# changes: that sets the password and logs in again — or, where a password
# changes only given the old one (the public re-implementation), the first
# version only logs in with password_wo, which must be the user's password.
terraform import galaxias_user.deployer 4
