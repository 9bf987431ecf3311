terraform {
  required_providers {
    drone = {
      source  = "galaxias/drone"
      version = "~> 0.1"
    }
  }
}

provider "drone" {
  server = "https://drone.example.com"
  token  = var.drone_token # or leave both unset and use DRONE_SERVER and DRONE_TOKEN
  # api_version = "0.8"     # default "auto": found from the server's version (DRONE_API_VERSION)
}

variable "drone_token" {
  type      = string
  sensitive = true
}
