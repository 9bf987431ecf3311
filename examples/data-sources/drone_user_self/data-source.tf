# The user the provider's token belongs to.
data "drone_user_self" "me" {}

output "drone_login" {
  value = data.drone_user_self.me.login
}
