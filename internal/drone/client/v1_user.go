package client

import (
	"context"
	"net/http"

	"github.com/drone/drone-go/drone"
)

type v1Users struct{ c *Client }

var user1 = identity[drone.User]{"login", func(u *drone.User) string { return u.Login }}

func (a v1Users) Self(ctx context.Context) (*drone.User, error) {
	return one(ctx, a.c, user1, http.MethodGet, "/api/user", nil)
}

func (a v1Users) List(ctx context.Context) ([]drone.User, error) {
	return list(ctx, a.c, user1, "/api/users")
}

func (a v1Users) Get(ctx context.Context, login string) (*drone.User, error) {
	p, err := Path("api", "users", login)
	if err != nil {
		return nil, err
	}
	return one(ctx, a.c, user1, http.MethodGet, p, nil)
}

func (a v1Users) Create(ctx context.Context, in drone.User) (*drone.User, error) {
	body := drone.User{Login: in.Login, Admin: in.Admin, Machine: in.Machine}
	return one(ctx, a.c, user1, http.MethodPost, "/api/users", &body)
}

func (a v1Users) Update(ctx context.Context, login string, in drone.UserPatch) (*drone.User, error) {
	p, err := Path("api", "users", login)
	if err != nil {
		return nil, err
	}
	return one(ctx, a.c, user1, http.MethodPatch, p, &in)
}

func (a v1Users) Delete(ctx context.Context, login string) error {
	p, err := Path("api", "users", login)
	if err != nil {
		return err
	}
	return a.c.deleteIfPresent(ctx, p)
}
