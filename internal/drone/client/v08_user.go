package client

import (
	"context"
	"fmt"
	"net/http"

	"github.com/drone/drone-go/drone"
)

type v08Users struct{ c *Client }

// user08 is a Drone 0.8 user. admin is not stored: 0.8 takes its admins
// from the server's DRONE_ADMIN setting and reports the flag only for the
// token's own user. There are no machine users and no tokens in answers.
type user08 struct {
	Login  string `json:"login"`
	Email  string `json:"email"`
	Avatar string `json:"avatar_url"`
	Active bool   `json:"active"`
	Admin  bool   `json:"admin"`
}

// userPatch08 is a 0.8 user update: 0.8 sets active from the body, so it is
// always sent.
type userPatch08 struct {
	Active bool `json:"active"`
}

func decodeUser08(u *user08) drone.User {
	return drone.User{Login: u.Login, Email: u.Email, Avatar: u.Avatar, Active: u.Active, Admin: u.Admin}
}

var user08ID = identity[user08]{"login", func(u *user08) string { return u.Login }}

// getUser08 exchanges one request for a user.
func getUser08(ctx context.Context, c *Client, method, path string, in any) (*drone.User, error) {
	u, err := one(ctx, c, user08ID, method, path, in)
	if err != nil {
		return nil, err
	}
	out := decodeUser08(u)
	return &out, nil
}

func (a v08Users) Self(ctx context.Context) (*drone.User, error) {
	return getUser08(ctx, a.c, http.MethodGet, "/api/user", nil)
}

func (a v08Users) List(ctx context.Context) ([]drone.User, error) {
	users, err := list(ctx, a.c, user08ID, "/api/users")
	if err != nil {
		return nil, err
	}
	out := make([]drone.User, 0, len(users))
	for i := range users {
		out = append(out, decodeUser08(&users[i]))
	}
	return out, nil
}

func (a v08Users) Get(ctx context.Context, login string) (*drone.User, error) {
	p, err := Path("api", "users", login)
	if err != nil {
		return nil, err
	}
	return getUser08(ctx, a.c, http.MethodGet, p, nil)
}

func (a v08Users) Create(ctx context.Context, in drone.User) (*drone.User, error) {
	if in.Admin || in.Machine {
		return nil, fmt.Errorf("drone 0.8 cannot create admin or machine users")
	}
	return getUser08(ctx, a.c, http.MethodPost, "/api/users", &user08{Login: in.Login})
}

func (a v08Users) Update(ctx context.Context, login string, in drone.UserPatch) (*drone.User, error) {
	p, err := Path("api", "users", login)
	if err != nil {
		return nil, err
	}
	if in.Active == nil || (in.Admin != nil && *in.Admin) || (in.Machine != nil && *in.Machine) {
		return nil, fmt.Errorf("a drone 0.8 user update sets active, and only active")
	}
	return getUser08(ctx, a.c, http.MethodPatch, p, &userPatch08{Active: *in.Active})
}

func (a v08Users) Delete(ctx context.Context, login string) error {
	p, err := Path("api", "users", login)
	if err != nil {
		return err
	}
	return a.c.deleteIfPresent(ctx, p)
}
