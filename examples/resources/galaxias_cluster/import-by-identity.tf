# Terraform v1.12.0 and later. The kubeconfig is not copied into state: the
# next apply sends the configured one.
import {
  to = galaxias_cluster.main
  identity = {
    id = 3
  }
}
