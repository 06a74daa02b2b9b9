# Look an environment up by name (or by id, with `id` instead of `name`)...
data "platform_environment" "production" {
  name = "production"
}

# ...to register databases in it.
resource "platform_database" "cache" {
  environment_id = data.platform_environment.production.id
  name           = "cache-redis"
  type           = "redis"
  host           = "redis.internal.example"
  port           = 6379
}

output "production_environment_id" {
  value = data.platform_environment.production.id
}
