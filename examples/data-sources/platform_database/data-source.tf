data "platform_environment" "production" {
  name = "production"
}

# Look a database up by environment and name...
data "platform_database" "orders" {
  environment_id = data.platform_environment.production.id
  name           = "orders-pg"
}

# ...or by id.
data "platform_database" "by_id" {
  id = "cmwxsek9i002x1h7dle0wgldm"
}

output "orders_endpoint" {
  value = "${data.platform_database.orders.host}:${data.platform_database.orders.port}"
}

# The latest backup and the schedule come from the platform's database list.
output "orders_last_backup_status" {
  value = try(data.platform_database.orders.last_backup.status, "never backed up")
}

output "orders_backup_cron" {
  value = try(data.platform_database.orders.schedule.cron_expression, null)
}
