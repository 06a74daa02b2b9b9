data "platform_environment" "production" {
  name = "production"
}

data "platform_database" "orders" {
  environment_id = data.platform_environment.production.id
  name           = "orders-pg"
}

# Terraform 1.16 or later: when the service that owns the orders database is
# destroyed (or replaced), the database is backed up first, pinned so that
# rotation keeps it. A destroy is never blocked by an action: a failed
# backup is a warning there.
resource "terraform_data" "orders_service" {
  input = "orders-service-v3"

  lifecycle {
    action_trigger {
      events  = [before_destroy]
      actions = [action.platform_database_create_backup.before_teardown]
    }
  }
}

action "platform_database_create_backup" "before_teardown" {
  config {
    database_id = data.platform_database.orders.id
    pinned      = true
  }
}
