# The active repositories of the token's user, as Drone lists them (no SCM
# sync: a plan or refresh changes nothing in Drone).
data "drone_repos" "active" {}

output "active_repositories" {
  value = data.drone_repos.active.repositories
}

# With sync = true, Drone first re-reads the user's repositories from the SCM,
# on every read.
data "drone_repos" "fresh" {
  sync = true
}
