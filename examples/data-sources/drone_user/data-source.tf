# A user by login (needs a Drone admin token).
data "drone_user" "alice" {
  login = "alice"
}

output "alice_is_admin" {
  value = data.drone_user.alice.admin
}
