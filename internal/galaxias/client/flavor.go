package client

import (
	"context"
	"sync"
)

// Flavor names a dialect of the Galaxias API.
type Flavor string

const (
	// FlavorAuto detects the dialect from the server's answers.
	FlavorAuto Flavor = ""
	// flavorGalaxias is the original platform as the evidence shows it, and
	// this project's contract (docs/galaxias-api.md): page/per_page lists,
	// users with a role name, RFC 3339 times.
	flavorGalaxias Flavor = "galaxias"
	// FlavorRock is the public re-implementation (rockwang465/go.rock.com):
	// page_num/page_size lists, users with role_id, offset-less times.
	FlavorRock Flavor = "rock"
)

// flavorState is what the client learned about its server.
type flavorState struct {
	mu     sync.Mutex
	flavor Flavor
	source string
	fixed  bool // configured: never overwritten by what answers suggest

	// contract: 1 if the server answered a route only this project's
	// contract has ([D] GET /v1/project-envs), -1 if it has not, 0 unknown.
	contract int
	// deployStatus: 1 once a deployment answer carried a status.
	deployStatus int
	roles        map[string]int64 // the re-implementation's role ids by name
}

func (f *flavorState) set(fl Flavor, source string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.flavor, f.source, f.fixed = fl, source, true
}

// learn records fl as detected from source, unless a flavor is known.
func (f *flavorState) learn(fl Flavor, source string) {
	if fl == FlavorAuto {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.flavor == FlavorAuto {
		f.flavor, f.source = fl, source
	}
}

func (f *flavorState) get() (Flavor, string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.flavor, f.source
}

func (c *Client) learnFromPage(naming Flavor, path string) {
	c.fl.learn(naming, "the list envelope of GET "+path)
}

// learnFromUser: the contract answers a user's role as "role"; the
// re-implementation as role_id (and role_name).
func (c *Client) learnFromUser(u *User, source string) {
	switch {
	case u.Role != "":
		c.fl.learn(flavorGalaxias, source+" (role)")
	case u.RoleID != 0 || u.RoleName != "":
		c.fl.learn(FlavorRock, source+" (role_id)")
	}
}

// DetectedFlavor returns the flavor known so far and how it was settled
// ("configured", or the answer it was read from); FlavorAuto if nothing
// has told yet. It makes no request.
func (c *Client) DetectedFlavor() (Flavor, string) { return c.fl.get() }

// Flavor returns the server's dialect: the configured one, or the one the
// answers so far showed, or else it asks (the credential probe, whose list
// envelope names tell). A server whose envelope names neither is taken as
// flavorGalaxias.
func (c *Client) Flavor(ctx context.Context) (Flavor, error) {
	if fl, _ := c.fl.get(); fl != FlavorAuto {
		return fl, nil
	}
	if err := c.CheckAuth(ctx); err != nil {
		return FlavorAuto, err
	}
	if fl, _ := c.fl.get(); fl != FlavorAuto {
		return fl, nil
	}
	c.fl.learn(flavorGalaxias, "default: the list envelope named neither page nor page_num")
	fl, _ := c.fl.get()
	return fl, nil
}

func (c *Client) isRock(ctx context.Context) (bool, error) {
	fl, err := c.Flavor(ctx)
	return fl == FlavorRock, err
}

// Traits are what a server of the client's flavor does with requests,
// where the two dialects differ and an answer cannot tell in advance; a
// provider uses them at plan time.
type Traits struct {
	Flavor Flavor
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

// TraitsOf returns the traits of a flavor (FlavorAuto: those of flavorGalaxias).
func TraitsOf(fl Flavor) Traits {
	if fl == FlavorRock {
		return Traits{Flavor: fl, UserEmailRequired: true, PasswordChangeNeedsOld: true, ProjectEnvDescriptionOnly: true,
			ProjectEnvDeleteNeedsNoConfigs: true, DescriptionMax: 100, DeploymentDescriptionMax: 250}
	}
	return Traits{Flavor: flavorGalaxias, Renames: true, AppFieldsUpdatable: true, UserEmailUpdatable: true,
		UserNamesReusable: true, ClusterConfigAnswered: true, ChartUpload: true}
}

// hasContractRoutes reports whether the server answers the routes only
// this project's contract has ([D]), asking GET /v1/project-envs once. The
// answer is kept.
func (c *Client) hasContractRoutes(ctx context.Context) (bool, error) {
	c.fl.mu.Lock()
	known := c.fl.contract
	c.fl.mu.Unlock()
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
	c.fl.mu.Lock()
	defer c.fl.mu.Unlock()
	if has {
		c.fl.contract = 1
	} else {
		c.fl.contract = -1
	}
}

// routeMissing tells a 404 for an unknown route (plain text, or the
// contract's 40400001) from a 404 for an unknown record.
func routeMissing(err error) bool {
	ae := apiErr(err)
	return ae != nil && (ae.StatusCode == 404 && (ae.Code == 0 || ae.Code == 40400001) || ae.StatusCode == 405)
}
