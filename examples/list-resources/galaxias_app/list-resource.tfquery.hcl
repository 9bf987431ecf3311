# Terraform v1.14.0 and later, in a *.tfquery.hcl file: `terraform query`
# lists the apps of project 12; with -generate-config-out it writes an import
# block (by identity) and a resource block for each.
list "galaxias_app" "apps" {
  provider = galaxias
  config {
    project_id = 12
  }
}
