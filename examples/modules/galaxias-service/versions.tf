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
