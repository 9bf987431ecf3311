resource "galaxias_project" "aurora" {
  name        = "aurora"
  description = "Project Aurora: push notifications."
}
