# The backups of a database, newest first, failed ones included.
data "platform_database_backups" "orders" {
  database_id = "cmwxsek9i002x1h7dle0wgldm"
}

locals {
  orders_latest_backup = try(data.platform_database_backups.orders.backups[0], null)
}

# Stop the plan (and whatever depends on this output, say a migration)
# unless the latest backup completed.
output "orders_latest_backup_id" {
  value = try(local.orders_latest_backup.id, null)

  precondition {
    condition     = try(local.orders_latest_backup.status, "none") == "completed"
    error_message = "The latest backup of orders-pg is not completed: ${coalesce(try(local.orders_latest_backup.error_message, null), try(local.orders_latest_backup.status, "there is none"))}."
  }
}

# Filters are applied by the provider: here the failed backups only.
data "platform_database_backups" "orders_failed" {
  database_id = data.platform_database_backups.orders.database_id
  status      = "failed"
}

output "orders_failed_backups" {
  value = length(data.platform_database_backups.orders_failed.backups)
}
