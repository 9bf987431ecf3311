terraform {
  required_providers {
    drone = {
      source = "galaxias/drone"
    }
  }
}

provider "drone" {
  server = "https://drone.example.com"
  token  = var.drone_token # or leave both unset and use DRONE_SERVER and DRONE_TOKEN
}

variable "drone_token" {
  type      = string
  sensitive = true
}
