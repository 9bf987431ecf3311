# Terraform v1.12.0 and later: the identity is the repository slug.
import {
  to = drone_repo.api
  identity = {
    repository = "octo/api"
  }
}
