package client

import (
	"context"
	"net/http"

	"github.com/drone/drone-go/drone"
)

type v1Users struct{ c *Client }

// getUser reads one user from path and checks that it has a login.
func getUser(ctx context.Context, c *Client, method, path string, in any) (*drone.User, error) {
	var u drone.User
	if err := c.Do(ctx, method, path, in, &u); err != nil {
		return nil, err
	}
	if u.Login == "" {
		return nil, c.missing(method, path, "login")
	}
	return &u, nil
}

func (a v1Users) Self(ctx context.Context) (*drone.User, error) {
	return getUser(ctx, a.c, http.MethodGet, "/api/user", nil)
}

func (a v1Users) List(ctx context.Context) ([]drone.User, error) {
	var users []drone.User
	if err := a.c.Do(ctx, http.MethodGet, "/api/users", nil, &users); err != nil {
		return nil, err
	}
	for _, u := range users {
		if u.Login == "" {
			return nil, a.c.missing(http.MethodGet, "/api/users", "login")
		}
	}
	return users, nil
}

func (a v1Users) Get(ctx context.Context, login string) (*drone.User, error) {
	p, err := Path("api", "users", login)
	if err != nil {
		return nil, err
	}
	return getUser(ctx, a.c, http.MethodGet, p, nil)
}

func (a v1Users) Create(ctx context.Context, in drone.User) (*drone.User, error) {
	body := drone.User{Login: in.Login, Admin: in.Admin, Machine: in.Machine}
	return getUser(ctx, a.c, http.MethodPost, "/api/users", &body)
}

func (a v1Users) Update(ctx context.Context, login string, in drone.UserPatch) (*drone.User, error) {
	p, err := Path("api", "users", login)
	if err != nil {
		return nil, err
	}
	return getUser(ctx, a.c, http.MethodPatch, p, &in)
}

func (a v1Users) Delete(ctx context.Context, login string) error {
	p, err := Path("api", "users", login)
	if err != nil {
		return err
	}
	return a.c.deleteIfPresent(ctx, p)
}
