terraform {
  required_version = ">= 1.11"
  required_providers {
    drone = {
      source = "galaxias/drone"
    }
    galaxias = {
      source = "galaxias/galaxias"
    }
  }
}
