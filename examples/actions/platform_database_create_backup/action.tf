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

# A pinned backup of the orders database, taken and waited for.
action "platform_database_create_backup" "pre_migration" {
  config {
    database_id = platform_database.orders.id
    pinned      = true
    timeout     = "1h"
  }
}

variable "schema_version" {
  description = "Schema version the orders database is migrated to."
  type        = string
  default     = "v42"
}

# Stands for the migration (a provisioner, or a resource that runs it):
# every new schema_version takes the backup first, and a failed backup
# stops the apply before the migration runs.
resource "terraform_data" "orders_migration" {
  input = var.schema_version

  lifecycle {
    action_trigger {
      events  = [before_create, before_update]
      actions = [action.platform_database_create_backup.pre_migration]
    }
  }
}
