data "galaxias_project" "payments" {
  name = "payments"
}

# Every binding of the project to an environment.
data "galaxias_project_environments" "all" {
  project_id = data.galaxias_project.payments.id
}

locals {
  bindings = { for pe in data.galaxias_project_environments.all.project_environments : pe.name => pe }
}

import {
  for_each = local.bindings
  to       = galaxias_project_environment.pe[each.key]
  id       = each.value.import_id # <project_id>/<id>
}

resource "galaxias_project_environment" "pe" {
  for_each       = local.bindings
  project_id     = data.galaxias_project.payments.id
  environment_id = each.value.environment_id
  name           = each.key
  description    = each.value.description
}
