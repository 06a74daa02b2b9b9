# Requires Terraform >= 1.11 or OpenTofu >= 1.11.
variable "orders_password" {
  description = "Password the platform uses to connect to the orders database."
  type        = string
  sensitive   = true
  # Ephemeral: never written to plan files or state either.
  ephemeral = true
}

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

  username    = "orders_backup"
  password_wo = var.orders_password
  # Terraform never sees password_wo again, so it cannot notice a new value.
  # To rotate: set the new password and increment this number in one apply.
  password_wo_version = 1
}
