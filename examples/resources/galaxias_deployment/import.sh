# A deployment is imported by the numeric id of the Galaxias deployment.
terraform import galaxias_deployment.push_staging 21
