package client

// v08Dialect is Drone 0.8, with its own wire types. It has no organisation
// secrets, cron jobs or templates: those fields stay nil.
func v08Dialect(c *Client, info ServerInfo) Dialect {
	return Dialect{
		Info:    info,
		Traits:  Traits{SecretEvents: true},
		Users:   v08Users{c},
		Repos:   v08Repos{c},
		Secrets: v08Secrets{c: c, info: info},
	}
}

// Drone 0.8's secret events.
const (
	eventPush        = "push"
	EventPullRequest = "pull_request"
	eventTag         = "tag"
	eventDeployment  = "deployment"
)

// SecretEvents08 are the events a Drone 0.8 secret can be limited to.
var SecretEvents08 = []string{eventDeployment, EventPullRequest, eventPush, eventTag}

// DefaultSecretEvents08 are the events of a Drone 0.8 secret that sets no
// event list: those of the 0.8 CLI (push, tag, deployment), and
// pull_request when pullRequest is true. Sorted.
func DefaultSecretEvents08(pullRequest bool) []string {
	if pullRequest {
		return []string{eventDeployment, EventPullRequest, eventPush, eventTag}
	}
	return []string{eventDeployment, eventPush, eventTag}
}
