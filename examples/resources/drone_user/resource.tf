# A robot account for automation. Drone returns its API token once, at
# creation; the provider keeps it in state (sensitive).
resource "drone_user" "release_bot" {
  login   = "release-bot"
  machine = true
}

# Store the token where the automation reads it, e.g. as an org secret.
resource "drone_orgsecret" "release_bot_token" {
  namespace = "octo"
  name      = "release_bot_token"
  value     = drone_user.release_bot.token
}

# A human user (login as in the SCM), made a Drone administrator.
resource "drone_user" "alice" {
  login = "alice"
  admin = true
}
