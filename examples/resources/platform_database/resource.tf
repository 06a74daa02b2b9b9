data "platform_environment" "production" {
  name = "production"
}

variable "orders_password" {
  description = "Password the platform uses to connect to the orders database."
  type        = string
  sensitive   = true
}

# PostgreSQL, backed up on the platform host in pg_dump's custom format.
resource "platform_database" "orders" {
  environment_id = data.platform_environment.production.id
  name           = "orders-pg"
  type           = "postgres"
  host           = "pg.internal.example"
  port           = 5432
  database_name  = "orders"
  use_ssl        = true

  # Kept in state (marked sensitive). On Terraform >= 1.11 prefer the
  # write-only password_wo, see the "Credentials" section.
  username = "orders_backup"
  password = var.orders_password

  backup_storage_type      = "local"
  backup_local_path        = "/var/backups/orders"
  backup_format            = "custom"
  backup_compression       = "gzip"
  backup_compression_level = 9

  pg_dump_options {
    no_owner  = true
    clean     = true
    if_exists = true
  }

  # The platform monitors every database every 300 s unless told otherwise.
  monitoring_interval_seconds = 60

  timeouts {
    create = "5m"
  }
}

# MySQL, backed up to S3-compatible object storage under the platform's
# default prefix, "<environment name>/<database name>/".
resource "platform_database" "sessions" {
  environment_id = data.platform_environment.production.id
  name           = "sessions-mysql"
  type           = "mysql"
  host           = "mysql.internal.example"
  port           = 3306

  backup_storage_type  = "spaces"
  backup_spaces_bucket = "acme-backups"
}
