# Terraform v1.14.0 and later, in a *.tfquery.hcl file: every cluster. The
# kubeconfig is never read back: set it in the generated configuration.
list "galaxias_cluster" "all" {
  provider = galaxias
}
