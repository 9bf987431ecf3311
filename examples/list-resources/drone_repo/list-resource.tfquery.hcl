# Terraform v1.14.0 and later, in a *.tfquery.hcl file: the repositories
# enabled in Drone that the provider's user sees.
list "drone_repo" "all" {
  provider = drone
}
