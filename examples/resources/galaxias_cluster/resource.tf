# The kubeconfig as a write-only value (Terraform 1.11 or later): sent to
# Galaxias, never stored in state or plan. Raise config_wo_version to send a
# new kubeconfig.
resource "galaxias_cluster" "main" {
  name              = "k8s-main.example.com"
  description       = "The production cluster."
  config_wo         = var.kubeconfig
  config_wo_version = 1
}

# The kubeconfig kept in state as a sensitive value: changes made to it in
# Galaxias show up in the next plan, where the server answers it (the public
# re-implementation never does: there state keeps the configured one).
resource "galaxias_cluster" "edge" {
  name   = "k8s-edge.example.com"
  config = var.edge_kubeconfig
}

variable "kubeconfig" {
  type      = string
  sensitive = true
  ephemeral = true
}

variable "edge_kubeconfig" {
  type      = string
  sensitive = true
}
