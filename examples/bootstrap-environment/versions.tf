# A module: no provider blocks. The caller configures the providers (or lets
# them read DRONE_SERVER / DRONE_TOKEN and GALAXIAS_ENDPOINT / GALAXIAS_TOKEN),
# and can call it with for_each, count and depends_on.
terraform {
  required_version = ">= 1.11"
  required_providers {
    drone = {
      source  = "galaxias/drone"
      version = "~> 0.1"
    }
    galaxias = {
      source  = "galaxias/galaxias"
      version = "~> 0.1"
    }
  }
}
