# Needs Drone 2.0 or later. Pipelines of the octo organisation use it with
# `kind: template` and `load: go.yaml`.
resource "drone_template" "go" {
  namespace = "octo"
  name      = "go.yaml"
  data      = file("${path.module}/templates/go.yaml")
}

resource "drone_template" "matrix" {
  namespace = "octo"
  name      = "matrix.starlark"
  data      = file("${path.module}/templates/matrix.starlark")
}
