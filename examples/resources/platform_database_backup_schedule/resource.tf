resource "platform_database" "orders" {
  environment_id = data.platform_environment.production.id
  name           = "orders-pg"
  type           = "postgres"
  host           = "pg.internal.example"
  port           = 5432
  database_name  = "orders"
}

# Nightly backups at 02:30. Which of them are kept is the database's
# retention policy (platform_database_backup_policy), not the schedule.
resource "platform_database_backup_schedule" "orders" {
  database_id     = platform_database.orders.id
  cron_expression = "30 2 * * *"
}

# Every 6 hours on weekdays, paused for now.
resource "platform_database_backup_schedule" "reports" {
  database_id     = data.platform_database.reports.id
  cron_expression = "0 */6 * * mon-fri"
  enabled         = false
}

data "platform_environment" "production" {
  name = "production"
}

data "platform_database" "reports" {
  environment_id = data.platform_environment.production.id
  name           = "reports-pg"
}
