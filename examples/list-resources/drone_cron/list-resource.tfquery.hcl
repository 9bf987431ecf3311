# Terraform v1.14.0 and later, in a *.tfquery.hcl file: the cron jobs of a
# repository (Drone 1.0 or later).
list "drone_cron" "api" {
  provider = drone
  config {
    repository = "octo/api"
  }
}
