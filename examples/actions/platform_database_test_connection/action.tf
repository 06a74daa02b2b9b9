data "platform_environment" "production" {
  name = "production"
}

variable "orders_password" {
  description = "Password the platform uses to connect to the orders database."
  type        = string
  sensitive   = true
}

# Every create and update is followed by a connection test: a wrong host,
# port or password fails the apply instead of the first backup, at night.
resource "platform_database" "orders" {
  environment_id = data.platform_environment.production.id
  name           = "orders-pg"
  type           = "postgres"
  host           = "pg.internal.example"
  port           = 5432
  database_name  = "orders"
  username       = "orders_backup"
  password       = var.orders_password

  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.platform_database_test_connection.orders]
    }
  }
}

action "platform_database_test_connection" "orders" {
  config {
    environment_id = platform_database.orders.environment_id
    database_id    = platform_database.orders.id
  }
}
