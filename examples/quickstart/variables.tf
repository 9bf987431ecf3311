variable "repository" {
  description = "The application's repository in the SCM (Gitea), owner/name."
  type        = string
  default     = "idea-aurora/aurora-push-service"

  validation {
    condition     = can(regex("^[A-Za-z0-9._-]+/[A-Za-z0-9._-]+$", var.repository))
    error_message = "The repository must be owner/name."
  }
}

variable "enable_cron" {
  description = "Create the nightly Drone cron job. Drone 0.8 has no cron API: set it to false on a Drone 0.8 server."
  type        = bool
  default     = true
}

variable "app_name" {
  description = "Galaxias app name; also the name of the Helm chart the pipeline uploads."
  type        = string
  default     = "aurora-push-service"
}

variable "project" {
  description = "Galaxias project name."
  type        = string
  default     = "aurora"
}

variable "cluster_name" {
  description = "Name of the Kubernetes cluster in Galaxias."
  type        = string
  default     = "demo-cluster"
}

variable "namespace" {
  description = "Kubernetes namespace of the environment."
  type        = string
  default     = "staging"

  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", var.namespace))
    error_message = "The namespace must be a Kubernetes DNS label."
  }
}

variable "replicas" {
  description = "Replicas of the application in the environment."
  type        = number
  default     = 2
}

variable "registry" {
  description = "Image registry the pipeline pushes to."
  type        = string
  default     = "registry.example.com"
}

variable "kubeconfig" {
  description = "Kubeconfig of the cluster; sent to Galaxias write-only."
  type        = string
  sensitive   = true
  ephemeral   = true
}

variable "docker_username" {
  description = "Registry user the pipeline pushes images as."
  type        = string
  default     = "robot-aurora"
}

variable "docker_password" {
  description = "Registry password; sent to Drone write-only, never stored in state."
  type        = string
  sensitive   = true
  ephemeral   = true
}

variable "deployer_password" {
  description = "Password of the Galaxias service account; write-only."
  type        = string
  sensitive   = true
  ephemeral   = true
}
