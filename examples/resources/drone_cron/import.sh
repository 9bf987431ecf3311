# A cron job is imported by owner/repo/name, with the name as Drone stores it
# (slugified: "Weekly deploy" is "weekly-deploy").
terraform import drone_cron.weekly_deploy octo/api/weekly-deploy
