data "galaxias_project" "payments" {
  name = "payments"
}

# Every app of the project, all pages.
data "galaxias_apps" "all" {
  project_id = data.galaxias_project.payments.id
}

locals {
  apps = { for a in data.galaxias_apps.all.apps : a.name => a }
}

# Adopt them all (Terraform 1.7 or later, OpenTofu 1.7 or later).
import {
  for_each = local.apps
  to       = galaxias_app.app[each.key]
  id       = tostring(each.value.id)
}

resource "galaxias_app" "app" {
  for_each    = local.apps
  project_id  = data.galaxias_project.payments.id
  name        = each.key
  description = each.value.description
}
