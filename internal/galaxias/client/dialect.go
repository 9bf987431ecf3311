package client

import (
	"context"
	"sync"
)

// Dialect names a variant of the Galaxias API, as a server speaks it
// (docs/architecture.md, "Vocabulary").
type Dialect string

const (
	// DialectAuto detects the dialect from the server's answers.
	DialectAuto Dialect = ""
	// dialectGalaxias is the original platform as the evidence shows it, and
	// this project's contract (docs/galaxias-api.md): page/per_page lists,
	// users with a role name, RFC 3339 times.
	dialectGalaxias Dialect = "galaxias"
	// DialectRock is the public re-implementation (rockwang465/go.rock.com):
	// page_num/page_size lists, users with role_id, offset-less times.
	DialectRock Dialect = "rock"
)

// dialectState is what the client learned about its server.
type dialectState struct {
	mu      sync.Mutex
	dialect Dialect
	source  string
	fixed   bool // configured: never overwritten by what answers suggest

	// contract: 1 if the server answered a route only this project's
	// contract has ([D] GET /v1/project-envs), -1 if it has not, 0 unknown.
	contract int
	// deployStatus: 1 once a deployment answer carried a status.
	deployStatus int
	roles        map[string]int64 // the re-implementation's role ids by name
}

func (f *dialectState) set(fl Dialect, source string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.dialect, f.source, f.fixed = fl, source, true
}

// learn records fl as detected from source, unless a dialect is known.
func (f *dialectState) learn(fl Dialect, source string) {
	if fl == DialectAuto {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.dialect == DialectAuto {
		f.dialect, f.source = fl, source
	}
}

func (f *dialectState) get() (Dialect, string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.dialect, f.source
}

func (c *Client) learnFromPage(naming Dialect, path string) {
	c.learned.learn(naming, "the list envelope of GET "+path)
}

// learnFromUser: the contract answers a user's role as "role"; the
// re-implementation as role_id (and role_name).
func (c *Client) learnFromUser(u *User, source string) {
	switch {
	case u.Role != "":
		c.learned.learn(dialectGalaxias, source+" (role)")
	case u.RoleID != 0 || u.RoleName != "":
		c.learned.learn(DialectRock, source+" (role_id)")
	}
}

// DetectedDialect returns the dialect known so far and how it was settled
// ("configured", or the answer it was read from); DialectAuto if nothing
// has told yet. It makes no request.
func (c *Client) DetectedDialect() (Dialect, string) { return c.learned.get() }

// Dialect returns the server's dialect: the configured one, or the one the
// answers so far showed, or else it asks (the credential probe, whose list
// envelope names tell). A server whose envelope names neither is taken as
// dialectGalaxias.
func (c *Client) Dialect(ctx context.Context) (Dialect, error) {
	if fl, _ := c.learned.get(); fl != DialectAuto {
		return fl, nil
	}
	if err := c.CheckAuth(ctx); err != nil {
		return DialectAuto, err
	}
	if fl, _ := c.learned.get(); fl != DialectAuto {
		return fl, nil
	}
	c.learned.learn(dialectGalaxias, "default: the list envelope named neither page nor page_num")
	fl, _ := c.learned.get()
	return fl, nil
}

func (c *Client) isRock(ctx context.Context) (bool, error) {
	fl, err := c.Dialect(ctx)
	return fl == DialectRock, err
}

// Traits are what a server of the client's dialect does with requests,
// where the two dialects differ and an answer cannot tell in advance; a
// provider uses them at plan time.
type Traits struct {
	Dialect Dialect
	// Renames: PUT changes the name of projects, clusters and
	// project-envs (the re-implementation ignores names).
	Renames bool
	// AppFieldsUpdatable: PUT /v1/apps/{id} changes full_name, owner,
	// gitlab_address, gitlab_project_id and drone_repo_id (the
	// re-implementation changes only description, and ignores those
	// fields on create too).
	AppFieldsUpdatable bool
	// UserEmailUpdatable: there is a PUT /v1/users/{id}.
	UserEmailUpdatable bool
	// UserEmailRequired: creating a user needs a valid email.
	UserEmailRequired bool
	// UserNamesReusable: a deleted user's name may be given to a new user
	// (the re-implementation keeps deleted users and never frees their
	// names, so a user cannot be replaced by one of the same name there).
	UserNamesReusable bool
	// PasswordChangeNeedsOld: a password change sends the old password.
	PasswordChangeNeedsOld bool
	// ClusterConfigAnswered: cluster answers include config (to admins).
	ClusterConfigAnswered bool
	// ChartUpload: POST /v1/charts exists (else charts go to ChartMuseum).
	ChartUpload bool
	// ProjectEnvDescriptionOnly: PUT on a project-env changes only its
	// description.
	ProjectEnvDescriptionOnly bool
	// ProjectEnvDeleteNeedsNoConfigs: deleting a project-env is refused
	// (412 41200008) while any app config row names it, an emptied one
	// included, and no route deletes one config alone: a project-env that
	// ever had an app config cannot be deleted, so it cannot be replaced.
	ProjectEnvDeleteNeedsNoConfigs bool
	// DescriptionMax: the most characters a description of a project,
	// cluster, env, project-env or app may have (0: no known limit). The
	// re-implementation answers a longer one with 500 {"error":[{}]}.
	DescriptionMax int
	// DeploymentDescriptionMax: the same for deployments.
	DeploymentDescriptionMax int
}

// TraitsOf returns the traits of a dialect (DialectAuto: those of dialectGalaxias).
func TraitsOf(fl Dialect) Traits {
	if fl == DialectRock {
		return Traits{Dialect: fl, UserEmailRequired: true, PasswordChangeNeedsOld: true, ProjectEnvDescriptionOnly: true,
			ProjectEnvDeleteNeedsNoConfigs: true, DescriptionMax: 100, DeploymentDescriptionMax: 250}
	}
	return Traits{Dialect: dialectGalaxias, Renames: true, AppFieldsUpdatable: true, UserEmailUpdatable: true,
		UserNamesReusable: true, ClusterConfigAnswered: true, ChartUpload: true}
}

// hasContractRoutes reports whether the server answers the routes only
// this project's contract has ([D]), asking GET /v1/project-envs once. The
// answer is kept.
func (c *Client) hasContractRoutes(ctx context.Context) (bool, error) {
	c.learned.mu.Lock()
	known := c.learned.contract
	c.learned.mu.Unlock()
	if known != 0 {
		return known > 0, nil
	}
	rock, err := c.isRock(ctx)
	if err != nil {
		return false, err
	}
	has := false
	if !rock {
		_, err := get[listPage[ProjectEnv]](ctx, c, "/v1/project-envs", pageQuery(nil, 1, 1))
		switch {
		case err == nil:
			has = true
		case statusOf(err) == 404 || statusOf(err) == 405 || statusOf(err) == 501:
		default:
			return false, err
		}
	}
	c.noteContractRoutes(has)
	return has, nil
}

func (c *Client) noteContractRoutes(has bool) {
	c.learned.mu.Lock()
	defer c.learned.mu.Unlock()
	if has {
		c.learned.contract = 1
	} else {
		c.learned.contract = -1
	}
}

// routeMissing tells a 404 for an unknown route (plain text, or the
// contract's 40400001) from a 404 for an unknown record.
func routeMissing(err error) bool {
	ae := apiErr(err)
	return ae != nil && (ae.StatusCode == 404 && (ae.Code == 0 || ae.Code == 40400001) || ae.StatusCode == 405)
}
