package drone

import (
	"strings"

	"github.com/drone/drone-go/drone"

	"github.com/galaxias/terraform-provider-galaxias/internal/drone/client"
)

// conn is what the provider's Configure hands to the resources and data
// sources: the server's dialect and the token's user.
type conn struct {
	client.Dialect
	self drone.User
}

// unsupported is the error for an API the server lacks.
func (c *conn) unsupported(what, needs string) error {
	return &client.UnsupportedError{Server: c.Info.Name(), What: what, Needs: needs}
}

// The APIs Drone 0.8 lacks, as their errors name them.
func (c *conn) needCrons() error {
	if c.Crons == nil {
		return c.unsupported("cron API", "Drone ≥ 1.0")
	}
	return nil
}

func (c *conn) needOrgSecrets() error {
	if c.OrgSecrets == nil {
		return c.unsupported("organisation secrets API", "Drone ≥ 1.0")
	}
	return nil
}

func (c *conn) needTemplates() error {
	if c.Templates == nil {
		return c.unsupported("templates API", "Drone ≥ 2.0")
	}
	return nil
}

// splitSlug splits owner/name.
func splitSlug(slug string) (owner, name string) {
	owner, name, _ = strings.Cut(slug, "/")
	return owner, name
}
