# The id is the numeric Galaxias id of the cluster. The kubeconfig is not
# copied into state: the next apply sends the configured one.
import {
  to = galaxias_cluster.main
  id = "3"
}
