# The environment for one Kubernetes namespace of a cluster.
data "galaxias_environment" "staging" {
  cluster_id = 3
  namespace  = "staging"
}

output "staging_environment_id" {
  value = data.galaxias_environment.staging.id
}
