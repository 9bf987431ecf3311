# A template is imported by namespace/name.
terraform import drone_template.go octo/go.yaml
