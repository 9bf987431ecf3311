# Terraform v1.14.0 and later, in a *.tfquery.hcl file: the secrets of a
# repository. Drone never returns their values: set them in the generated
# configuration.
list "drone_secret" "api" {
  provider = drone
  config {
    repository = "octo/api"
  }
}
