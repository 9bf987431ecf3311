# The logins of the active Drone users (needs a Drone admin token).
data "drone_users" "active" {}

output "drone_logins" {
  value = data.drone_users.active.logins
}
