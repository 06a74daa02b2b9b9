data "platform_environment" "production" {
  name = "production"
}

resource "platform_database" "orders" {
  environment_id = data.platform_environment.production.id
  name           = "orders-pg"
  type           = "postgres"
  host           = "pg.internal.example"
  port           = 5432
  database_name  = "orders"
}

# Applies the database's retention policy (its own, or the platform's
# global default) now, deleting at most 20 backups: the plan says how many
# go, and with more than max_prune the action refuses and deletes nothing.
action "platform_database_apply_retention" "orders" {
  config {
    database_id = platform_database.orders.id
    max_prune   = 20
  }
}

variable "retention_run" {
  description = "Change it (a date, say) to apply the retention policy once more."
  type        = string
  default     = "2026-12-01"
}

resource "terraform_data" "orders_retention" {
  input = var.retention_run

  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.platform_database_apply_retention.orders]
    }
  }
}
