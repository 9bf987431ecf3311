package client

import "time"

// Meta is what every record carries.
type Meta struct {
	ID        int64     `json:"id"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	// Version increases on every change of the record.
	Version int64 `json:"version"`
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
	Role  string `json:"role"`
}

// UserInput creates a user (Name and Password required; Role defaults to
// developer) or, in UpdateUser, changes Email.
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
	// Config is the kubeconfig; answered to admin and system_tools_admin only.
	Config string `json:"config"`
}

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

// Chart is one uploaded chart version.
type Chart struct {
	Meta
	Name         string `json:"name"`
	ChartVersion string `json:"chart_version"`
	AppVersion   string `json:"app_version"`
	Description  string `json:"description"`
	Digest       string `json:"digest"` // sha256 of the archive, hex
	Size         int64  `json:"size"`
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
