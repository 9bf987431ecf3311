# The releases of the project's apps running in one project environment.
data "galaxias_releases" "prod" {
  project_environment_id = 12
}

output "running" {
  value = { for r in data.galaxias_releases.prod.releases : r.name => "${r.chart_name} ${r.chart_version}" }
}

# Adopt them as galaxias_deployment resources (import id <app_id>/<project_environment_id>).
locals {
  releases = { for r in data.galaxias_releases.prod.releases : r.name => r }
}

import {
  for_each = local.releases
  to       = galaxias_deployment.release[each.key]
  id       = each.value.import_id
}

resource "galaxias_deployment" "release" {
  for_each               = local.releases
  app_id                 = each.value.app_id
  project_environment_id = data.galaxias_releases.prod.project_environment_id
  chart_name             = each.value.chart_name
  chart_version          = each.value.chart_version
}
