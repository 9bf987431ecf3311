# Terraform v1.14.0 and later, in a *.tfquery.hcl file: the organisation
# secrets of a namespace (Drone 1.0 or later). Drone never returns their
# values: set them in the generated configuration.
list "drone_orgsecret" "octo" {
  provider = drone
  config {
    namespace = "octo"
  }
}
