package client

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
)

// Meta is what every record carries.
type Meta struct {
	ID        int64 `json:"id"`
	CreatedAt Time  `json:"created_at"`
	UpdatedAt Time  `json:"updated_at"`
	// Version increases on every change of the record (0 or absent on the
	// re-implementation).
	Version int64 `json:"version"`
}

// Time is a time in an answer: RFC 3339 (the contract), or
// "YYYY-MM-DD hh:mm:ss" without an offset (the re-implementation, in the
// server's own zone). Zoned tells the two apart: a time without an offset is
// read as if it were UTC, and is not comparable with this machine's clock.
type Time struct {
	time.Time
	// Zoned is true when the answer gave an offset, so that Time is a real
	// instant.
	Zoned bool
}

// Time layouts the answers use.
const (
	layoutNoZone  = "2006-01-02 15:04:05"
	layoutNoZoneT = "2006-01-02T15:04:05"
)

// UnmarshalJSON reads RFC 3339 (with or without fractions), the offset-less
// forms with a space or a T, null and "".
func (t *Time) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		*t = Time{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("a time must be a string, got %s", b)
	}
	if s == "" {
		*t = Time{}
		return nil
	}
	if v, err := time.Parse(time.RFC3339Nano, s); err == nil {
		*t = Time{Time: v, Zoned: true}
		return nil
	}
	for _, layout := range []string{layoutNoZone, layoutNoZoneT, layoutNoZone + ".999999999", layoutNoZoneT + ".999999999"} {
		if v, err := time.Parse(layout, s); err == nil {
			*t = Time{Time: v}
			return nil
		}
	}
	return fmt.Errorf("time %q is neither RFC 3339 nor YYYY-MM-DD hh:mm:ss", s)
}

// MarshalJSON writes the time as it was read: RFC 3339 when zoned.
func (t Time) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte(`""`), nil
	}
	return json.Marshal(t.String())
}

// String is RFC 3339 for a zoned time, "YYYY-MM-DD hh:mm:ss" otherwise.
func (t Time) String() string {
	if t.IsZero() {
		return ""
	}
	if t.Zoned {
		return t.Format(time.RFC3339Nano)
	}
	return t.Format(layoutNoZone + ".999999999")
}

// Roles.
const (
	RoleAdmin            = "admin"
	RoleSystemToolsAdmin = "system_tools_admin"
	RoleDeveloper        = "developer"
	RoleDeployer         = "deployer"
)

type User struct {
	Meta
	Name  string `json:"name"`
	Email string `json:"email"`
	// Role is the role's name on every server: the contract answers it as
	// role; for the re-implementation's role_id/role_name the client fills
	// it in.
	Role string `json:"role"`
	// RoleID is the re-implementation's role row id (0 on the contract).
	RoleID   int64  `json:"role_id,omitempty"`
	RoleName string `json:"role_name,omitempty"`
}

// UserInput creates a user (Name and Password required; Role defaults to
// developer; Email is required by the re-implementation) or, in
// UpdateUser, changes Email.
type UserInput struct {
	Name     string `json:"name,omitempty"`
	Email    string `json:"email"`
	Password string `json:"password,omitempty"`
	Role     string `json:"role,omitempty"`
}

// LoginResult is the answer of POST /v1/auth/login.
type LoginResult struct {
	User
	Token string `json:"token"`
}

type Project struct {
	Meta
	Name        string `json:"name"`
	Description string `json:"description"`
}

type ProjectInput struct {
	Name        string `json:"name,omitempty"`
	Description string `json:"description"`
}

type Cluster struct {
	Meta
	Name        string `json:"name"`
	Description string `json:"description"`
	// Config is the kubeconfig; answered to admin and system_tools_admin
	// only, and never by the re-implementation.
	Config string `json:"config"`
	// HasConfig tells whether the answer had a config field at all. Without
	// one, Config says nothing about the kubeconfig: it is not "removed".
	HasConfig bool `json:"-"`
}

// UnmarshalJSON notes whether the answer carried config.
func (c *Cluster) UnmarshalJSON(b []byte) error {
	type plain Cluster
	var probe struct {
		Config json.RawMessage `json:"config"`
	}
	if err := json.Unmarshal(b, (*plain)(c)); err != nil {
		return err
	}
	if err := json.Unmarshal(b, &probe); err != nil {
		return err
	}
	c.HasConfig = probe.Config != nil && !bytes.Equal(probe.Config, []byte("null"))
	return nil
}

// ClusterInput creates or changes a cluster. Config is always sent: the
// re-implementation requires the kubeconfig on every POST and PUT and
// checks it against the cluster's API server.
type ClusterInput struct {
	Name        string `json:"name,omitempty"`
	Description string `json:"description"`
	Config      string `json:"config"`
}

// Env is a namespace of a cluster.
type Env struct {
	Meta
	ClusterID   int64  `json:"cluster_id"`
	Namespace   string `json:"namespace"`
	Description string `json:"description"`
}

// EnvInput: ClusterID and Namespace on create; updates change Description.
type EnvInput struct {
	ClusterID   int64  `json:"cluster_id,omitempty"`
	Namespace   string `json:"namespace,omitempty"`
	Description string `json:"description"`
}

// ProjectEnv binds a project to an env.
type ProjectEnv struct {
	Meta
	ProjectID   int64  `json:"project_id"`
	EnvID       int64  `json:"env_id"`
	Name        string `json:"name"`
	Description string `json:"description"`
}

// ProjectEnvInput: EnvID on create (Name defaults to "<cluster>-<namespace>");
// updates change Name and Description.
type ProjectEnvInput struct {
	EnvID       int64  `json:"env_id,omitempty"`
	Name        string `json:"name,omitempty"`
	Description string `json:"description"`
}

type App struct {
	Meta
	ProjectID       int64  `json:"project_id"`
	Name            string `json:"name"`
	FullName        string `json:"full_name"`
	Owner           string `json:"owner"`
	Description     string `json:"description"`
	GitlabAddress   string `json:"gitlab_address"`
	GitlabProjectID int64  `json:"gitlab_project_id"`
	DroneRepoID     int64  `json:"drone_repo_id"`
}

// AppInput: Name and ProjectID on create (they cannot change); Owner
// defaults to the creating user.
type AppInput struct {
	ProjectID       int64  `json:"project_id,omitempty"`
	Name            string `json:"name,omitempty"`
	FullName        string `json:"full_name"`
	Owner           string `json:"owner,omitempty"`
	Description     string `json:"description"`
	GitlabAddress   string `json:"gitlab_address"`
	GitlabProjectID int64  `json:"gitlab_project_id"`
	DroneRepoID     int64  `json:"drone_repo_id"`
}

// AppConfig is an app's Helm values (values.yaml text) for one project-env.
type AppConfig struct {
	Meta
	AppID        int64  `json:"app_id"`
	ProjectEnvID int64  `json:"project_env_id"`
	Config       string `json:"config"`
}

// Chart is one chart version: a record of the contract, or a ChartMuseum
// index entry (name, version, appVersion, digest, created, urls) as the
// re-implementation answers it.
type Chart struct {
	Meta
	Name         string   `json:"name"`
	ChartVersion string   `json:"chart_version"`
	AppVersion   string   `json:"app_version"`
	Description  string   `json:"description"`
	Digest       string   `json:"digest"` // sha256 of the archive, hex
	Size         int64    `json:"size"`
	URLs         []string `json:"urls,omitempty"`
}

// UnmarshalJSON reads both shapes. In a ChartMuseum entry "version" is the
// chart's SemVer string, not the record version.
func (ch *Chart) UnmarshalJSON(b []byte) error {
	var in struct {
		ID           int64           `json:"id"`
		CreatedAt    Time            `json:"created_at"`
		UpdatedAt    Time            `json:"updated_at"`
		Created      Time            `json:"created"`
		Version      json.RawMessage `json:"version"`
		Name         string          `json:"name"`
		ChartVersion string          `json:"chart_version"`
		AppVersion   string          `json:"app_version"`
		AppVersionCM string          `json:"appVersion"`
		Description  string          `json:"description"`
		Digest       string          `json:"digest"`
		Size         int64           `json:"size"`
		URLs         []string        `json:"urls"`
	}
	if err := json.Unmarshal(b, &in); err != nil {
		return err
	}
	*ch = Chart{
		Meta: Meta{ID: in.ID, CreatedAt: in.CreatedAt, UpdatedAt: in.UpdatedAt},
		Name: in.Name, ChartVersion: in.ChartVersion, AppVersion: in.AppVersion,
		Description: in.Description, Digest: in.Digest, Size: in.Size, URLs: in.URLs,
	}
	if v := bytes.TrimSpace(in.Version); len(v) > 0 && !bytes.Equal(v, []byte("null")) {
		var str string
		if v[0] == '"' {
			if err := json.Unmarshal(v, &str); err != nil {
				return err
			}
			if ch.ChartVersion == "" {
				ch.ChartVersion = str
			}
		} else if err := json.Unmarshal(v, &ch.Version); err != nil {
			return fmt.Errorf("chart version: %w", err)
		}
	}
	if ch.AppVersion == "" {
		ch.AppVersion = in.AppVersionCM
	}
	if ch.CreatedAt.IsZero() {
		ch.CreatedAt = in.Created
	}
	return nil
}

// Deployment statuses. A synchronous server answers success only (or an error).
const (
	StatusPending = "pending"
	StatusRunning = "running"
	StatusSuccess = "success"
	StatusFailure = "failure"
)

type Deployment struct {
	Meta
	Name         string `json:"name"` // the Helm release, <chart>-<namespace>
	Description  string `json:"description"`
	ChartName    string `json:"chart_name"`
	ChartVersion string `json:"chart_version"`
	AppID        int64  `json:"app_id"`
	EnvID        int64  `json:"env_id"`
	ProjectEnvID int64  `json:"project_env_id"`
	Status       string `json:"status"`
	Message      string `json:"message"`
}

// Done reports whether the deployment has a final status. A deployment
// without a status (the synchronous platform) is done.
func (d *Deployment) Done() bool {
	return d.Status == "" || d.Status == StatusSuccess || d.Status == StatusFailure
}

type DeploymentInput struct {
	AppID        int64  `json:"app_id"`
	ProjectEnvID int64  `json:"project_env_id"`
	ChartName    string `json:"chart_name"`
	ChartVersion string `json:"chart_version"`
	Description  string `json:"description"`
	// After is the newest deployment known to precede this request (the one
	// an update replaces; 0: none). After a lost answer, a deployment at or
	// below it is never taken for this request's, even when it deployed the
	// same chart version a moment ago (a values rollout).
	After int64 `json:"-"`
}

// DeploymentFilter selects deployments; zero fields do not filter.
type DeploymentFilter struct {
	AppID        int64
	EnvID        int64
	ProjectEnvID int64
	ChartName    string
	ChartVersion string
	Status       string
	CreatedAfter time.Time
}

// Instance is what runs now: one Helm release.
type Instance struct {
	Meta
	ClusterName    string `json:"cluster_name"`
	EnvNamespace   string `json:"env_namespace"`
	ProjectName    string `json:"project_name"`
	Name           string `json:"name"`
	ChartName      string `json:"chart_name"`
	ChartVersion   string `json:"chart_version"`
	LastDeployment int64  `json:"last_deployment"`
	AppID          int64  `json:"app_id"`
	EnvID          int64  `json:"env_id"`
}

// InstanceFilter selects instances; zero fields do not filter.
type InstanceFilter struct {
	AppID   int64
	EnvID   int64
	Cluster string
	Project string
	Name    string
}
