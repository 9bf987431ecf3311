# Terraform v1.14.0 and later, in a *.tfquery.hcl file: the environments
# (namespaces) of cluster 3; leave cluster_id out for those of every cluster.
list "galaxias_environment" "main_cluster" {
  provider = galaxias
  config {
    cluster_id = 3
  }
}
