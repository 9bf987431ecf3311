# Terraform v1.14.0 and later, in a *.tfquery.hcl file: every project.
list "galaxias_project" "all" {
  provider = galaxias
}
