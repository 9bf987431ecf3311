package client

import (
	"context"
	"fmt"
	"sync"
)

// codeRockRoleNotFound is the re-implementation's "Role with id(...) was not
// found", which its role change answers with the user's id in place of the
// role's (after making the change).
const codeRockRoleNotFound = 40400006

// DeletedUserError is a user that the server still answers by id but has
// deleted (the re-implementation soft-deletes users: GET /v1/users/{id}
// answers 200, the user list leaves it out, its login fails). It is a 404:
// IsNotFound reports it. The re-implementation never frees a deleted
// user's name.
type DeletedUserError struct {
	ID   int64
	Name string
	err  *APIError
}

func (e *DeletedUserError) Error() string { return e.err.Error() }
func (e *DeletedUserError) Unwrap() error { return e.err }

// confirmListed returns u if the user list has it. On the
// re-implementation, a user answered by id that the list lacks is deleted:
// a *DeletedUserError. Elsewhere (and when the caller may not list users)
// the answer stands.
func (c *Client) confirmListed(ctx context.Context, u *User) (*User, error) {
	if fl, _ := c.learned.get(); fl != DialectRock {
		return u, nil
	}
	list, err := c.ListUsers(ctx, u.Name)
	if isRoleRefusal(err) {
		return u, nil
	}
	if err != nil {
		return nil, err
	}
	for i := range list {
		if list[i].ID == u.ID {
			return u, nil
		}
	}
	c.retired.add(u.Name)
	path := "/v1/users/" + itoa(u.ID)
	return nil, &DeletedUserError{ID: u.ID, Name: u.Name, err: notFound("GET", path,
		fmt.Sprintf("user %d (%q) was deleted: the server still answers its record, but not in its user list", u.ID, u.Name))}
}

// FindDeletedUserName reports whether name belongs only to deleted users:
// the user list (which leaves deleted users out) has no user of that
// name. Call it after a create refused the name as taken.
func (c *Client) FindDeletedUserName(ctx context.Context, name string) (bool, error) {
	list, err := c.ListUsers(ctx, name)
	if err != nil {
		return false, err
	}
	for i := range list {
		if list[i].Name == name {
			return false, nil
		}
	}
	c.retired.add(name)
	return true, nil
}

// DeletedUserName reports, without a request, whether this client has seen
// that name belong to a deleted user (a read that found the user deleted,
// or FindDeletedUserName). On the re-implementation such a name can never
// be given to a new user.
func (c *Client) DeletedUserName(name string) bool { return c.retired.has(name) }

// retiredNames are the names of deleted users a client has seen.
type retiredNames struct {
	mu    sync.Mutex
	names map[string]bool
}

func (r *retiredNames) add(name string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.names == nil {
		r.names = map[string]bool{}
	}
	r.names[name] = true
}

func (r *retiredNames) has(name string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.names[name]
}

// RoleNotAppliedError is a role change that the server did not make: the
// user reads back with another role.
type RoleNotAppliedError struct {
	ID        int64
	Name      string
	Want, Got string
	Answer    error // the server's answer to the change, if it was an error
}

func (e *RoleNotAppliedError) Error() string {
	msg := fmt.Sprintf("galaxias: the server did not change the role of user %d (%q) to %q: reading it back shows %q", e.ID, e.Name, e.Want, e.Got)
	if e.Answer != nil {
		msg += fmt.Sprintf(" (the change was answered: %v)", e.Answer)
	}
	return msg + "; the user keeps its privileges"
}
