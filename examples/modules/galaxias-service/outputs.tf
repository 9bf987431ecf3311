output "app_id" {
  description = "Id of the Galaxias app (the pipeline's GALAXIAS_APP_ID)."
  value       = galaxias_app.this.id
}

output "repository" {
  description = "The Drone repository, owner/name."
  value       = drone_repo.this.repository
}

output "repository_link" {
  description = "The repository's web page in the SCM."
  value       = drone_repo.this.link
}

output "chart_versions" {
  description = "The chart versions built from chart_branch, oldest first."
  value       = data.galaxias_chart_versions.this.versions
}

output "deployments" {
  description = "Per environment label: the Helm release, its namespace and the chart version it runs."
  value = {
    for k, d in galaxias_deployment.this : k => {
      release       = d.name
      namespace     = d.namespace
      chart_version = d.chart_version
      status        = d.status
    }
  }
}
