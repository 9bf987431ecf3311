# The id is the repository slug, owner/name.
import {
  to = drone_repo.api
  id = "octo/api"
}
