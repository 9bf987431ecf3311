package client

import (
	"context"
	"fmt"
	"net/http"
	"time"
)

// The re-implementation keeps roles as rows; these are the ids it seeds
// (admin 1, system_tools_admin 2, developer 3, deployer 4). The client asks
// GET /v1/roles first and uses these only if that list cannot be read.
var seededRoleIDs = map[string]int64{RoleAdmin: 1, RoleSystemToolsAdmin: 2, RoleDeveloper: 3, RoleDeployer: 4}

type role struct {
	Meta
	Name string `json:"name"`
}

// roleIDs returns the re-implementation's role ids by name.
func (c *Client) roleIDs(ctx context.Context) map[string]int64 {
	c.learned.mu.Lock()
	ids := c.learned.roles
	c.learned.mu.Unlock()
	if ids != nil {
		return ids
	}
	ids = map[string]int64{}
	if list, err := listAll[role](ctx, c, "/v1/roles", nil); err == nil {
		for _, r := range list {
			ids[r.Name] = r.ID
		}
	}
	if len(ids) == 0 {
		ids = seededRoleIDs
	}
	c.learned.mu.Lock()
	c.learned.roles = ids
	c.learned.mu.Unlock()
	return ids
}

func (c *Client) roleID(ctx context.Context, name string) (int64, error) {
	if id, ok := c.roleIDs(ctx)[name]; ok {
		return id, nil
	}
	return 0, fmt.Errorf("galaxias: role %q is not one of this server's roles", name)
}

// normalizeUser fills Role from role_name or role_id.
func (c *Client) normalizeUser(ctx context.Context, u *User) error {
	if u.Role != "" {
		return nil
	}
	if u.RoleName != "" {
		u.Role = u.RoleName
		return nil
	}
	if u.RoleID == 0 {
		return nil
	}
	for name, id := range c.roleIDs(ctx) {
		if id == u.RoleID {
			u.Role = name
			return nil
		}
	}
	u.Role = fmt.Sprintf("role#%d", u.RoleID)
	return nil
}

func (c *Client) normalizeUsers(ctx context.Context, users []User) ([]User, error) {
	for i := range users {
		c.learnFromUser(&users[i], "a user list")
		if err := c.normalizeUser(ctx, &users[i]); err != nil {
			return nil, err
		}
	}
	return users, nil
}

func (c *Client) userAnswer(ctx context.Context, u *User, err error) (*User, error) {
	if err != nil {
		return nil, err
	}
	c.learnFromUser(u, "a user answer")
	if err := c.normalizeUser(ctx, u); err != nil {
		return nil, err
	}
	return u, nil
}

// ---- users (admin only) ----

func (c *Client) ListUsers(ctx context.Context, search string) ([]User, error) {
	list, err := listAll[User](ctx, c, "/v1/users", searchQuery(search))
	if err != nil {
		return nil, err
	}
	return c.normalizeUsers(ctx, list)
}

// GetUser reads a user. The re-implementation soft-deletes users and still
// answers a deleted user's id (200), but leaves it out of the user list:
// there the client confirms the answer with the list and answers a
// *DeletedUserError (a 404) for a user the list lacks. An id it never had
// is answered 500 (or with an empty record): the client confirms with the
// list and then answers 404.
func (c *Client) GetUser(ctx context.Context, id int64) (*User, error) {
	u, err := get[User](ctx, c, "/v1/users/"+itoa(id), nil)
	if err == nil && u.ID != 0 {
		if u, err = c.userAnswer(ctx, u, nil); err != nil {
			return nil, err
		}
		return c.confirmListed(ctx, u)
	}
	if err != nil && statusOf(err) != http.StatusInternalServerError {
		return nil, err
	}
	all, lerr := c.ListUsers(ctx, "")
	if lerr != nil {
		if err != nil {
			return nil, err
		}
		return nil, lerr
	}
	for i := range all {
		if all[i].ID == id {
			if err != nil {
				return nil, err // it exists: the 500 was something else
			}
			return &all[i], nil
		}
	}
	return nil, notFound("GET", "/v1/users/"+itoa(id), fmt.Sprintf("user %d is not in the user list", id))
}

// notFound is a 404 the client concludes itself (the server answered
// otherwise, or answered another record).
func notFound(method, path, msg string) *APIError {
	return &APIError{StatusCode: http.StatusNotFound, Method: method, Path: path, Message: msg + " (concluded by the provider)"}
}

// CreateUser creates a user. Role defaults to developer. The
// re-implementation takes role_id (mapped from the role name) and requires
// a valid email; it answers 200 and mails the password.
func (c *Client) CreateUser(ctx context.Context, in UserInput) (*User, error) {
	if in.Role == "" {
		in.Role = RoleDeveloper
	}
	rock, err := c.isRock(ctx)
	if err != nil {
		return nil, err
	}
	var body any = in
	if rock {
		if in.Email == "" {
			return nil, &UnsupportedError{What: "creating a user without an email", Dialect: DialectRock,
				Hint: "this server requires a valid email for every user (it mails the password there)"}
		}
		rid, err := c.roleID(ctx, in.Role)
		if err != nil {
			return nil, err
		}
		body = map[string]any{"name": in.Name, "password": in.Password, "email": in.Email, "role_id": rid}
	}
	c.lists.users.Wrote("")
	return createOnce(ctx, func() (*User, error) {
		u, err := send[User](ctx, c, "POST", "/v1/users", body)
		return c.userAnswer(ctx, u, err)
	},
		func(time.Time) ([]User, error) { return c.ListUsers(ctx, in.Name) },
		func(u *User) bool { return u.Name == in.Name })
}

// UpdateUser changes the user's email (the contract's PUT /v1/users/{id};
// the re-implementation has none: *UnsupportedError).
func (c *Client) UpdateUser(ctx context.Context, id int64, in UserInput) (*User, error) {
	rock, err := c.isRock(ctx)
	if err != nil {
		return nil, err
	}
	if rock {
		return nil, &UnsupportedError{What: "changing a user's email", Dialect: DialectRock,
			Hint: "the server has no PUT /v1/users/{id}; the user must be replaced"}
	}
	c.lists.users.Wrote(itoa(id))
	u, err := send[User](ctx, c, "PUT", "/v1/users/"+itoa(id), in)
	return c.userAnswer(ctx, u, err)
}

func (c *Client) DeleteUser(ctx context.Context, id int64) error {
	c.lists.users.Wrote(itoa(id))
	return c.del(ctx, "/v1/users/"+itoa(id), nil)
}

// SetUserPassword changes the password; the user's current token is
// revoked. The contract takes {password}; the re-implementation
// {old_password, new_password} and refuses a wrong old password (400
// 40000003) or an unchanged one (400 40000008); without oldPassword the
// client refuses there with *UnsupportedError.
func (c *Client) SetUserPassword(ctx context.Context, id int64, oldPassword, newPassword string) (*User, error) {
	rock, err := c.isRock(ctx)
	if err != nil {
		return nil, err
	}
	var body any = map[string]string{"password": newPassword}
	if rock {
		if oldPassword == "" {
			return nil, &UnsupportedError{What: "changing a password without the old one", Dialect: DialectRock,
				Hint: "this server's PUT /v1/users/{id}/password requires old_password; replace the user instead"}
		}
		body = map[string]string{"old_password": oldPassword, "new_password": newPassword}
	}
	c.lists.users.Wrote(itoa(id))
	u, err := send[User](ctx, c, "PUT", "/v1/users/"+itoa(id)+"/password", body)
	if err == nil && u.ID == 0 {
		return c.GetUser(ctx, id)
	}
	return c.userAnswer(ctx, u, err)
}

// SetUserRole changes the role, given by name on every server ({role} on
// the contract, {role_id} on the re-implementation), and reads the user
// back: a change the server did not make is a *RoleNotAppliedError. The
// re-implementation answers a role change 404 40400006 "Role with id(<user
// id>) was not found" for every user whose id is no role's id, after making
// the change: that answer counts as done when the user reads back with the
// new role.
func (c *Client) SetUserRole(ctx context.Context, id int64, role string) (*User, error) {
	rock, err := c.isRock(ctx)
	if err != nil {
		return nil, err
	}
	path := "/v1/users/" + itoa(id) + "/roles"
	c.lists.users.Wrote(itoa(id))
	if rock {
		rid, rerr := c.roleID(ctx, role)
		if rerr != nil {
			return nil, rerr
		}
		err = c.do(ctx, call{method: "PUT", path: path, body: map[string]int64{"role_id": rid}}, nil)
	} else {
		err = c.do(ctx, call{method: "PUT", path: path, body: map[string]string{"role": role}}, nil)
	}
	if err != nil && !(rock && CodeOf(err) == codeRockRoleNotFound) {
		return nil, err
	}
	u, gerr := c.GetUser(ctx, id)
	if gerr != nil {
		if err != nil {
			return nil, err
		}
		return nil, gerr
	}
	if u.Role != role {
		return nil, &RoleNotAppliedError{ID: id, Name: u.Name, Want: role, Got: u.Role, Answer: err}
	}
	return u, nil
}
