# A secret is imported by owner/repo/name. The value cannot be read back from
# Drone: after the import, set value (or value_wo and value_wo_version) in the
# configuration and apply once.
terraform import drone_secret.docker_password octo/api/docker_password
