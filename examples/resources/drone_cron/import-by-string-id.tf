# In Terraform v1.5.0 and later (and OpenTofu), an import block imports at plan
# time, with the same id as the CLI form: owner/repo/name.
import {
  to = drone_cron.weekly_deploy
  id = "octo/api/weekly-deploy"
}
