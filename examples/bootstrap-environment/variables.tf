variable "project" {
  description = "Galaxias project name; also the prefix of the cluster, environment and service account names."
  type        = string
  default     = "aurora-platform"

  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?$", var.project))
    error_message = "The project must be lower-case letters, digits and '-', at most 32 characters."
  }
}

variable "environments" {
  description = "The environments, keyed by label: a Kubernetes namespace each and the default replica count."
  type = map(object({
    namespace = string
    replicas  = optional(number, 1)
  }))
  nullable = false # null: the default
  default = {
    staging    = { namespace = "aurora-staging" }
    production = { namespace = "aurora-production", replicas = 3 }
  }

  validation {
    condition     = alltrue([for e in values(var.environments) : can(regex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", e.namespace))])
    error_message = "Every namespace must be a Kubernetes DNS label."
  }
}

variable "services" {
  description = <<-EOT
    The project's services, keyed by app name (= chart name). For each: its repository (owner/name) and
    optionally a description, container env, replicas per environment, a pinned chart version per
    environment (default: the newest master build) and nightly (a 02:00 cron build, default true).
  EOT
  type = map(object({
    repository     = string
    description    = optional(string, "")
    env            = optional(map(string), {})
    replicas       = optional(map(number), {})
    chart_versions = optional(map(string), {})
    nightly        = optional(bool, true)
  }))
  nullable = false # null: the default
  default = {
    aurora-push-service = { repository = "idea-aurora/aurora-push-service", description = "Push notifications." }
    aurora-gateway      = { repository = "idea-aurora/aurora-gateway", description = "Public API gateway." }
    aurora-console      = { repository = "idea-aurora/aurora-console", description = "Operator console.", nightly = false }
  }
}

variable "registry" {
  description = "Image registry the pipelines push to."
  type        = string
  default     = "registry.example.com"
}

variable "cluster" {
  description = <<-EOT
    An existing galaxias_cluster to put the environments on, as { id = <cluster id> }. null: create the
    cluster <project>-cluster from kubeconfig. An object rather than a bare id, so that whether to create
    a cluster is known at plan time even when the id is known only after apply (another module's cluster).
  EOT
  type = object({
    id = number
  })
  default = null

  validation {
    condition     = (var.cluster == null) != (var.kubeconfig == null)
    error_message = "Give either cluster (an existing cluster, { id = ... }) or kubeconfig (to create the cluster), not both."
  }
}

variable "kubeconfig" {
  description = "Kubeconfig of the cluster to create, sent to Galaxias write-only. null when cluster is given."
  type        = string
  sensitive   = true
  ephemeral   = true
  default     = null
}

variable "kubeconfig_version" {
  description = "Raise it to send a new kubeconfig (when the module creates the cluster)."
  type        = number
  default     = 1
}

variable "docker_username" {
  description = "Registry user of the pipelines."
  type        = string
  default     = "robot-aurora"
}

variable "docker_password" {
  description = "Registry password, sent to Drone write-only."
  type        = string
  sensitive   = true
  ephemeral   = true
}

variable "deployer_email" {
  description = "Email of the service account (the re-implementation of Galaxias requires one: it mails the password there)."
  type        = string

  validation {
    condition     = can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", var.deployer_email))
    error_message = "The deployer_email must be an e-mail address such as ci@example.com."
  }
}

variable "deployer_password" {
  description = "Password of the service account, write-only."
  type        = string
  sensitive   = true
  ephemeral   = true
}

variable "deployer_password_version" {
  description = "Raise it to set a new password (and so a new token in every repository)."
  type        = number
  default     = 1
}
