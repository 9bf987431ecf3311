output "project_id" {
  description = "Id of the Galaxias project."
  value       = galaxias_project.this.id
}

output "cluster_id" {
  description = "Id of the cluster the environments are on (given or created)."
  value       = local.cluster_id
}

output "project_environment_ids" {
  description = "Per environment label: the project_env_id for the pipelines."
  value       = { for k, pe in galaxias_project_environment.this : k => pe.id }
}

output "services" {
  description = "Per service: app id, repository and what runs in each environment."
  value = {
    for name, s in module.service : name => {
      app_id      = s.app_id
      repository  = s.repository
      deployments = s.deployments
    }
  }
}
