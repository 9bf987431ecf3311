# An org secret is imported by namespace/name. Drone never returns the value:
# after the import, the next apply writes the configured value (in place).
terraform import drone_orgsecret.registry_password octo/registry_password
