# Every uploaded version of the app's chart, in SemVer order.
data "galaxias_chart_versions" "api" {
  app_id = 147
}

# Only what the pipeline built from master: versions named
# "<app version>-master-<6-digit commit hash>", e.g. 1.0.0-master-fe380d.
data "galaxias_chart_versions" "api_master" {
  app_id = 147
  branch = "master"
}

output "api_versions" {
  value = data.galaxias_chart_versions.api.versions
}

# latest is null when the branch has no version yet: used as a required
# argument (such as chart_version of galaxias_deployment), it stops the plan.
output "api_master_latest" {
  value = data.galaxias_chart_versions.api_master.latest
}
