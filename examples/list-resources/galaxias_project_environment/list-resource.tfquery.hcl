# Terraform v1.14.0 and later, in a *.tfquery.hcl file: the environments of
# project 12.
list "galaxias_project_environment" "aurora" {
  provider = galaxias
  config {
    project_id = 12
  }
}
