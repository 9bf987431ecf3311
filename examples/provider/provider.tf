terraform {
  required_providers {
    galaxias = {
      source  = "galaxias/galaxias"
      version = "~> 0.1"
    }
  }
}

# Log in with a user name and password...
provider "galaxias" {
  endpoint = "http://galaxias.example.com:8888"
  username = "ops"
  password = var.galaxias_password
}

# ...or leave the block empty and set GALAXIAS_ENDPOINT and GALAXIAS_TOKEN
# (or GALAXIAS_USERNAME and GALAXIAS_PASSWORD) in the environment.

variable "galaxias_password" {
  type      = string
  sensitive = true
}
