data "platform_environment" "production" {
  name = "production"
}

# Every database of the environment (one request per 500 databases).
data "platform_databases" "all" {
  environment_id = data.platform_environment.production.id
}

# Only the PostgreSQL databases whose name starts with "orders-".
data "platform_databases" "orders_pg" {
  environment_id = data.platform_environment.production.id
  type           = "postgres"
  name_regex     = "^orders-"
}

# Databases without a backup schedule, to spot gaps.
output "databases_without_schedule" {
  value = [for db in data.platform_databases.all.databases : db.name if db.schedule == null]
}

# Latest backup status per database.
output "last_backup_status" {
  value = { for db in data.platform_databases.orders_pg.databases : db.name => try(db.last_backup.status, "none") }
}
