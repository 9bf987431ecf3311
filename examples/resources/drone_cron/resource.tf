# Every night at 02:00:00 (server time). Drone's expressions have six fields,
# seconds first.
resource "drone_cron" "nightly" {
  repository = drone_repo.api.repository
  name       = "nightly"
  expr       = "0 0 2 * * *"
  branch     = "main"
}

# A descriptor, a deployment target, and a job paused for now.
resource "drone_cron" "weekly_deploy" {
  repository = drone_repo.api.repository
  name       = "Weekly deploy" # stored by Drone as "weekly-deploy"
  expr       = "@weekly"
  branch     = "release"
  target     = "production"
  disabled   = true
}
