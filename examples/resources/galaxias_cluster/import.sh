# A cluster is imported by its numeric Galaxias id. The import does not copy
# the kubeconfig into state: with `config`, the next apply sends the configured
# kubeconfig once; with `config_wo`, the first apply sends it because
# config_wo_version is new to the state.
terraform import galaxias_cluster.main 3
