# The environments whose databases list-resource.tfquery.hcl finds. List
# blocks cannot hold data sources, but may use those of the configuration
# they run in.

variable "environment_names" {
  type        = set(string)
  description = "Names of the environments to adopt, for example [\"production\", \"staging\"]."
}

data "platform_environment" "estate" {
  for_each = var.environment_names
  name     = each.key
}
