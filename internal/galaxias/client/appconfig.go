package client

import (
	"context"
	"net/url"
	"strings"
)

func peQuery(projectEnvID int64) url.Values { return url.Values{"pe_id": {itoa(projectEnvID)}} }

func (c *Client) GetAppConfig(ctx context.Context, appID, projectEnvID int64) (*AppConfig, error) {
	cfg, err := get[AppConfig](ctx, c, "/v1/apps/"+itoa(appID)+"/config", peQuery(projectEnvID))
	if err == nil {
		fillConfigKeys(cfg, appID, projectEnvID)
	}
	return cfg, err
}

func fillConfigKeys(cfg *AppConfig, appID, projectEnvID int64) {
	if cfg.AppID == 0 {
		cfg.AppID = appID
	}
	if cfg.ProjectEnvID == 0 {
		cfg.ProjectEnvID = projectEnvID
	}
}

// PutAppConfig creates or replaces the app's values for the project-env.
func (c *Client) PutAppConfig(ctx context.Context, appID, projectEnvID int64, config string) (*AppConfig, error) {
	cfg, err := send[AppConfig](ctx, c, "PUT", "/v1/apps/"+itoa(appID)+"/config",
		map[string]any{"project_env_id": projectEnvID, "config": config})
	if err == nil {
		fillConfigKeys(cfg, appID, projectEnvID)
	}
	return cfg, err
}

// ConfigRemoval says what RemoveAppConfig did.
type ConfigRemoval string

const (
	// configDeleted: the config is gone (DELETE, on a server whose delete is
	// known to touch that one config only).
	configDeleted ConfigRemoval = "deleted"
	// ConfigEmptied: the config was replaced by emptiedConfig (no values),
	// because this server's delete route is not known to be safe.
	// Deployments from then on get no values, as without a config; the row
	// stays.
	ConfigEmptied ConfigRemoval = "emptied"
	// configAbsent: there was nothing to remove.
	configAbsent ConfigRemoval = "absent"
)

// emptiedConfig is what RemoveAppConfig writes where it cannot delete: an
// empty map of values (the re-implementation refuses an empty config
// string), with a comment saying why.
const emptiedConfig = "# values removed by terraform-provider-galaxias\n{}\n"

// IsEmptiedConfig reports values that hold nothing: "", "{}", or what
// RemoveAppConfig writes. A provider reads such a config as absent where it
// manages other values.
func IsEmptiedConfig(values string) bool {
	v := strings.TrimSpace(values)
	return v == "" || v == "{}" || IsRemovedConfig(v)
}

// IsRemovedConfig reports exactly what RemoveAppConfig writes where it
// cannot delete: a config that the provider removed, absent for an import.
// A plain "{}" is not one: the re-implementation accepts it as a config,
// and it is imported as it is.
func IsRemovedConfig(values string) bool {
	return strings.TrimSpace(values) == strings.TrimSpace(emptiedConfig)
}

// RemoveAppConfig removes the app's values for one project-env without
// touching any other app's or environment's config, on any server.
//
// DELETE /v1/apps/{id}/config?pe_id= is used only on a server that has
// shown it implements this project's contract (it answers the contract's
// own GET /v1/project-envs, [D]), whose delete removes that one config. On
// the re-implementation the same route soft-deletes every app config of
// every app (a delete without a key), and the evidence does not show what
// the original platform's does; there the client writes emptiedConfig instead
// (ConfigEmptied). What that leaves, on the re-implementation:
//   - the emptied row, which GET still answers (with emptiedConfig);
//   - deleting the app afterwards does not take its configs with it (the
//     row stays, unreachable through the API, since every config route
//     first looks the app up);
//   - deleting the project-env is refused with 412 41200008 as long as
//     any config row names it, emptied or orphaned: DeleteProjectEnv
//     explains that.
func (c *Client) RemoveAppConfig(ctx context.Context, appID, projectEnvID int64) (ConfigRemoval, error) {
	safe, err := c.hasContractRoutes(ctx)
	if err != nil {
		return "", err
	}
	if safe {
		err := c.del(ctx, "/v1/apps/"+itoa(appID)+"/config", peQuery(projectEnvID))
		if IsNotFound(err) {
			return configAbsent, nil
		}
		if err != nil {
			return "", err
		}
		return configDeleted, nil
	}
	cur, err := c.GetAppConfig(ctx, appID, projectEnvID)
	if IsNotFound(err) {
		return configAbsent, nil
	}
	if err != nil {
		return "", err
	}
	if cur.Config == emptiedConfig {
		return ConfigEmptied, nil
	}
	if _, err := c.PutAppConfig(ctx, appID, projectEnvID, emptiedConfig); err != nil {
		return "", err
	}
	return ConfigEmptied, nil
}
