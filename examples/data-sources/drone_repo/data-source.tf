# A repository as Drone knows it. Reading it changes nothing in Drone.
data "drone_repo" "api" {
  repository = "octo/api"
}

output "api_clone_url" {
  value = data.drone_repo.api.http_url
}
