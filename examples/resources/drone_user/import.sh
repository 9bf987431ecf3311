# A user is imported by login. Drone never returns a token again: the token of
# an imported machine user is null in state.
terraform import drone_user.alice alice
