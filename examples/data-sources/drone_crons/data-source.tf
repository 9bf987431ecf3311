# The names of a repository's cron jobs.
data "drone_crons" "api" {
  repository = "octo/api"
}

output "api_cron_jobs" {
  value = data.drone_crons.api.names
}
