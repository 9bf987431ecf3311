# Terraform v1.12.0 and later: the identity is the login.
import {
  to = drone_user.alice
  identity = {
    login = "alice"
  }
}
