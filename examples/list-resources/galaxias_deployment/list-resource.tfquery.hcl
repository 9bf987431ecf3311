# Terraform v1.14.0 and later, in a *.tfquery.hcl file: the releases that run
# in project-environment 8 (one per app). Set app_id instead, or as well, for
# those of one app.
list "galaxias_deployment" "staging" {
  provider         = galaxias
  include_resource = true
  config {
    project_environment_id = 8
  }
}
