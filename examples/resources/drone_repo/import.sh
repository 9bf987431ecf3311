# A repository is imported by its slug, owner/name.
terraform import drone_repo.api octo/api
