# A cron job of a repository; either spelling of the name finds it
# ("Nightly Build" or "nightly-build").
data "drone_cron" "nightly" {
  repository = "octo/api"
  name       = "nightly"
}

output "nightly_schedule" {
  value = data.drone_cron.nightly.expr
}
