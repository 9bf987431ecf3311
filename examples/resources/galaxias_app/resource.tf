# An app of the project. Its name is also the name of its Helm chart;
# changing the name or the project replaces the app. owner, full_name,
# git_address and drone_repo_id are what Galaxias records.
resource "galaxias_app" "push" {
  project_id     = galaxias_project.aurora.id
  name           = "push-service"
  description    = "Sends push notifications."
  git_project_id = 42
}
