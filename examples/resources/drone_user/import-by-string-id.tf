# The id is the login. The token of an imported machine user is null in state.
import {
  to = drone_user.alice
  id = "alice"
}
