# Terraform v1.12.0 and later: the identity of a cron job is its id,
# owner/repo/name.
import {
  to = drone_cron.weekly_deploy
  identity = {
    id = "octo/api/weekly-deploy"
  }
}
