# What the provider found out about the Drone server, once per run.
data "drone_server" "this" {}

output "drone_server" {
  value = "${data.drone_server.this.server}: Drone ${data.drone_server.this.version}, API ${data.drone_server.this.api_version} (${data.drone_server.this.api_version_source})"
}
