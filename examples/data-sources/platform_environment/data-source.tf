# Look an environment up by name, typically to feed environment_id.
data "platform_environment" "production" {
  name = "production"
}

# Or by id.
data "platform_environment" "by_id" {
  id = "cmwxsejuk002c1h7dp19myyf8"
}

output "production_environment_id" {
  value = data.platform_environment.production.id
}
