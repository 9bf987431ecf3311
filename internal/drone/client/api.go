package client

import (
	"context"

	"github.com/drone/drone-go/drone"
)

// Dialect is the variant of Drone's API that one server speaks (1.x or
// 0.8), with the methods that speak it, as the resources use it.
// An API the server does not have is a nil field.
type Dialect struct {
	Info       ServerInfo
	Traits     Traits
	Users      UserAPI
	Repos      RepoAPI
	Secrets    SecretAPI // repository secrets
	OrgSecrets SecretAPI // nil: the server has none (Drone 0.8)
	Crons      CronAPI   // nil: the server has none (Drone 0.8)
	Templates  TemplateAPI
	// Templates is nil on Drone 0.8; Drone 1.x has no templates either
	// (they came with 2.0), which its dialect finds out on the first 404.
}

// Traits are the differences between dialects inside one object.
type Traits struct {
	// RepoV1Settings: throttle, ignore_forks, ignore_pulls and the
	// auto-cancel settings exist (Drone 1.x).
	RepoV1Settings bool
	// SecretEvents: a secret is limited by event and image lists, and an
	// empty event list means every event (Drone 0.8).
	SecretEvents bool
	// SecretPullRequestPush: a secret has the pull_request_push flag (1.x).
	SecretPullRequestPush bool
	// UserAdminAndMachine: a user's admin flag is stored and machine users
	// exist (1.x). Drone 0.8 takes its admins from DRONE_ADMIN.
	UserAdminAndMachine bool
}

// Connect finds the server's API dialect (see Client.Detect) and returns
// it, with a warning when the configured dialect contradicts
// the server's version.
func Connect(ctx context.Context, c *Client, configured APIVersion) (Dialect, string, error) {
	info, warning, err := c.Detect(ctx, configured)
	if err != nil {
		return Dialect{}, "", err
	}
	return NewDialect(c, info), warning, nil
}

// NewDialect returns the dialect of info.API, its reads of secrets and
// cron jobs served from their parents' lists.
func NewDialect(c *Client, info ServerInfo) Dialect {
	if info.API == api08 {
		return batched(v08Dialect(c, info))
	}
	return batched(v1Dialect(c, info))
}

// UserAPI manages users.
type UserAPI interface {
	// Self returns the token's user.
	Self(ctx context.Context) (*drone.User, error)
	List(ctx context.Context) ([]drone.User, error)
	Get(ctx context.Context, login string) (*drone.User, error)
	// Create creates a user (active); Token is set only for a machine
	// user of Drone 1.x.
	Create(ctx context.Context, in drone.User) (*drone.User, error)
	Update(ctx context.Context, login string, in drone.UserPatch) (*drone.User, error)
	Delete(ctx context.Context, login string) error
}

// RepoAPI manages the repositories of the token's user.
type RepoAPI interface {
	// Sync refreshes the user's repository list from the SCM.
	Sync(ctx context.Context) error
	// List returns the active repositories the user can see.
	List(ctx context.Context) ([]drone.Repo, error)
	Get(ctx context.Context, owner, name string) (*drone.Repo, error)
	// Enable activates a repository; one already active is not an error.
	Enable(ctx context.Context, owner, name string) (*drone.Repo, error)
	Update(ctx context.Context, owner, name string, in drone.RepoPatch) (*drone.Repo, error)
	// Disable deactivates a repository, remove deletes Drone's record of it.
	Disable(ctx context.Context, owner, name string, remove bool) error
}

// SecretScope says whose secret it is: a repository's (Owner and Repo) or
// an organisation's (Owner, the namespace, alone).
type SecretScope struct {
	Owner, Repo string
}

// Secret is a secret as the resources see it, whatever the dialect.
// Drone never returns values.
type Secret struct {
	Name            string
	PullRequest     bool     // exposed to pull requests (0.8: the pull_request event)
	PullRequestPush bool     // Drone 1.x only
	Events          []string // Drone 0.8: the events it is exposed to, sorted
	Images          []string // Drone 0.8: the images it is limited to; none means any
}

// SecretInput is a secret to create, or the new state of one to update.
type SecretInput struct {
	Secret
	// Value is sent when not nil: always on create, on update only when
	// it changes.
	Value *string
}

// SecretAPI manages the secrets of a scope.
type SecretAPI interface {
	List(ctx context.Context, scope SecretScope) ([]Secret, error)
	Get(ctx context.Context, scope SecretScope, name string) (*Secret, error)
	Create(ctx context.Context, scope SecretScope, in SecretInput) (*Secret, error)
	Update(ctx context.Context, scope SecretScope, in SecretInput) (*Secret, error)
	// Delete deletes a secret; one that does not exist is not an error.
	Delete(ctx context.Context, scope SecretScope, name string) error
}

// CronAPI manages the cron jobs of repositories.
type CronAPI interface {
	List(ctx context.Context, owner, repo string) ([]drone.Cron, error)
	Get(ctx context.Context, owner, repo, name string) (*drone.Cron, error)
	// Create creates a job from Name, Expr and Branch (Drone forces the
	// event to push and ignores the rest).
	Create(ctx context.Context, owner, repo string, in drone.Cron) (*drone.Cron, error)
	Update(ctx context.Context, owner, repo, name string, in drone.CronPatch) (*drone.Cron, error)
	Delete(ctx context.Context, owner, repo, name string) error
}

// Template is a pipeline template.
type Template struct {
	Namespace, Name, Data string
}

// TemplateAPI manages the pipeline templates of namespaces.
type TemplateAPI interface {
	List(ctx context.Context, namespace string) ([]Template, error)
	Get(ctx context.Context, namespace, name string) (*Template, error)
	Create(ctx context.Context, in Template) (*Template, error)
	Update(ctx context.Context, in Template) (*Template, error)
	Delete(ctx context.Context, namespace, name string) error
}
