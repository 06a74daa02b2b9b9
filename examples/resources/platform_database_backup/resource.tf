data "platform_environment" "production" {
  name = "production"
}

variable "orders_password" {
  description = "Password the platform uses to connect to the orders database."
  type        = string
  sensitive   = true
}

resource "platform_database" "orders" {
  environment_id = data.platform_environment.production.id
  name           = "orders-pg"
  type           = "postgres"
  host           = "pg.internal.example"
  port           = 5432
  database_name  = "orders"
  username       = "orders_backup"
  password       = var.orders_password
}

# Taken before the risky v42 migration and pinned, so rotation keeps it
# whatever the retention policy says. Once the migration is signed off,
# set pinned = false (rotation may then delete it) or remove the resource
# (which deletes the backup).
resource "platform_database_backup" "before_v42" {
  database_id = platform_database.orders.id
  pinned      = true

  timeouts {
    create = "1h" # apply waits until the dump is complete
  }
}

output "pre_migration_backup" {
  value = platform_database_backup.before_v42.storage_path
}
