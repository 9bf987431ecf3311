# The id is namespace/name.
import {
  to = drone_template.go
  id = "octo/go.yaml"
}
