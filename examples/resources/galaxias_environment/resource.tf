# One Kubernetes namespace of a cluster. The namespace must be a valid
# Kubernetes name (lowercase letters, digits and '-', at most 63 characters);
# changing it or the cluster replaces the environment.
resource "galaxias_environment" "staging" {
  cluster_id  = galaxias_cluster.main.id
  namespace   = "aurora-staging"
  description = "Aurora staging."
}
