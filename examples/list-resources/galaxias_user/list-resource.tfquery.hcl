# Terraform v1.14.0 and later, in a *.tfquery.hcl file: every user, with the
# object as an import reads it (include_resource).
list "galaxias_user" "all" {
  provider         = galaxias
  include_resource = true
}
