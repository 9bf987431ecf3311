# Activate octo/website in Drone with the default settings.
resource "drone_repo" "website" {
  repository = "octo/website"
}

# Activate a repository and tune its settings.
resource "drone_repo" "api" {
  repository    = "octo/api"
  configuration = ".ci/drone.yml"
  protected     = true
  visibility    = "internal"
  ignore_forks  = true
  cancel_pulls  = true
  cancel_push   = true

  # Admin-only settings: the provider token must belong to a Drone system admin.
  trusted  = true
  timeout  = 90
  throttle = 2
}
