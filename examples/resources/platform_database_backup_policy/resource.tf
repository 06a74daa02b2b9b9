resource "platform_database" "orders" {
  environment_id = data.platform_environment.production.id
  name           = "orders-pg"
  type           = "postgres"
  host           = "pg.internal.example"
  port           = 5432
  database_name  = "orders"
}

# A named preset: its tiers appear in the plan and need not be written.
resource "platform_database_backup_policy" "orders" {
  database_id = platform_database.orders.id
  preset      = "long_term"

  # The first apply may delete up to 20 existing backups the policy does
  # not keep; more than that and the apply refuses, changing nothing.
  max_prune = 20
}

data "platform_environment" "production" {
  name = "production"
}
