variable "name" {
  description = "The service's Galaxias app name; also the name of the Helm chart its pipeline uploads."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9]{0,49}[a-z0-9])?$", var.name))
    error_message = "The name must be lower-case letters, digits and '-', at most 51 characters: the Helm release is <name>-<namespace>, at most 53 characters."
  }
}

variable "description" {
  description = "What the service does (the Galaxias app's description)."
  type        = string
  default     = ""
}

variable "project_id" {
  description = "Id of the galaxias_project the service belongs to."
  type        = number
}

variable "repository" {
  description = "The service's repository in the SCM, owner/name. It must exist, and the Drone token's user must be an admin of it."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9._-]+/[A-Za-z0-9._-]+$", var.repository))
    error_message = "The repository must be owner/name."
  }
}

variable "environments" {
  description = <<-EOT
    Where the service runs, keyed by a label (e.g. "staging"). For each:
    project_environment_id (a galaxias_project_environment), values (Helm values as YAML text, e.g. from
    yamlencode()), and optionally chart_version (default: the newest build of chart_branch),
    deploy (default true; false only sets the values) and namespace (the environment's Kubernetes
    namespace: checks that the Helm release <name>-<namespace> fits Helm's 53 characters at plan time,
    instead of a failed deployment at apply time).
  EOT
  type = map(object({
    project_environment_id = number
    namespace              = optional(string)
    values                 = optional(string, "{}")
    chart_version          = optional(string)
    deploy                 = optional(bool, true)
  }))

  validation {
    condition     = length(var.environments) > 0
    error_message = "Give at least one environment."
  }
  validation {
    condition     = alltrue([for e in values(var.environments) : e.namespace == null || length("${var.name}-${coalesce(e.namespace, "-")}") <= 53])
    error_message = "The Helm release <name>-<namespace> must be at most 53 characters (Helm's limit; both Galaxias servers refuse a longer one): shorten the name or the namespace."
  }
  validation {
    condition     = alltrue([for e in values(var.environments) : can(keys(yamldecode(e.values)))])
    error_message = "Every environment's values must be YAML with a map at the top level."
  }
  validation {
    condition = alltrue([for e in values(var.environments) :
    e.chart_version == null || can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?$", e.chart_version))])
    error_message = "A chart_version must be SemVer, e.g. 1.0.0-master-fe380d."
  }
}

variable "chart_branch" {
  description = "Deploy the newest chart version built from this branch (versions <x.y.z>-<branch>-<sha6>) where no chart_version is given."
  type        = string
  default     = "master"

  validation {
    condition     = can(regex("^[A-Za-z0-9][A-Za-z0-9.-]*$", var.chart_branch))
    error_message = "SemVer allows only ASCII letters, digits, '-' and '.' in a branch that names chart versions."
  }
}

variable "trusted" {
  description = "Mark the Drone repository trusted (privileged steps, e.g. plugins/docker). Needs a Drone system admin token."
  type        = bool
  default     = true
}

variable "build_timeout" {
  description = "Drone build timeout in minutes. Needs a Drone system admin token."
  type        = number
  default     = 60

  validation {
    condition     = var.build_timeout >= 1 && var.build_timeout <= 1440 && floor(var.build_timeout) == var.build_timeout
    error_message = "The build timeout must be a whole number of minutes between 1 and 1440."
  }
}

variable "docker_username" {
  description = "Registry user the pipeline pushes images as (Drone secret docker_username)."
  type        = string

  validation {
    condition     = length(var.docker_username) > 0
    error_message = "The registry user must not be empty."
  }
}

variable "docker_password" {
  description = "Registry password (Drone secret docker_password), sent write-only: never in state."
  type        = string
  sensitive   = true
  ephemeral   = true
}

variable "docker_password_version" {
  description = "Raise it to send a new docker_password."
  type        = number
  default     = 1
}

variable "galaxias_api_token" {
  description = "Token the pipeline deploys with (Drone secret galaxias_api_token), e.g. a galaxias_user's token. Sent write-only; sent again whenever it changes."
  type        = string
  sensitive   = true

  validation {
    condition     = length(var.galaxias_api_token) > 0
    error_message = "The Galaxias API token must not be empty."
  }
}

variable "cron" {
  description = "A scheduled build: Drone's six-field expression (seconds first) or a descriptor such as @daily, and the branch. null: none."
  type = object({
    name   = optional(string, "nightly")
    expr   = string
    branch = optional(string, "master")
  })
  default = null

  validation {
    condition     = var.cron == null || can(regex("^(@(yearly|annually|monthly|weekly|daily|midnight|hourly)|@every [0-9a-z]+|([^ ]+ ){5}[^ ]+)$", var.cron.expr))
    error_message = "The cron expression must have six fields (seconds first), e.g. \"0 0 2 * * *\", or be a descriptor such as @daily."
  }
}

variable "deployment_description" {
  description = "Text recorded with each deployment. null: \"galaxias-service module, environment <label>\". A release imported by `<app_id>/<project_environment_id>` has the description \"\": give \"\" when adopting running releases, so that the adoption plans no change."
  type        = string
  default     = null
}

variable "uninstall_on_destroy" {
  description = "Delete the running release when a deployment is destroyed (needed to delete the environment or the app afterwards). false: the releases outlive the module."
  type        = bool
  default     = true
}
