package client

import (
	"context"
	"net/http"
)

// v1Dialect is Drone 1.x and 2.x, with drone-go v1.7.1's wire types.
func v1Dialect(c *Client, info ServerInfo) Dialect {
	secrets := v1Secrets{c}
	return Dialect{
		Info: info,
		Traits: Traits{
			RepoV1Settings:        true,
			SecretPullRequestPush: true,
			UserAdminAndMachine:   true,
		},
		Users:      v1Users{c},
		Repos:      v1Repos{c},
		Secrets:    secrets,
		OrgSecrets: secrets,
		Crons:      v1Crons{c},
		Templates:  v1Templates{c: c, info: info},
	}
}

// deleteIfPresent deletes path; a 404 means it is gone already.
func (c *Client) deleteIfPresent(ctx context.Context, path string) error {
	err := c.Do(ctx, http.MethodDelete, path, nil, nil)
	if IsNotFound(err) {
		return nil
	}
	return err
}
