# A small estate on the platform: one PostgreSQL database backed up locally,
# one MySQL database backed up to object storage. `make demo` applies this
# against the in-repo API simulator; point PLATFORM_ENDPOINT and
# PLATFORM_TOKEN at a real platform to apply it there.

terraform {
  required_providers {
    platform = {
      source = "platform-iac/platform"
    }
  }
}

# Endpoint and token come from PLATFORM_ENDPOINT and PLATFORM_TOKEN.
provider "platform" {}

variable "environment_name" {
  description = "Platform environment to register the databases in."
  type        = string
  default     = "demo"
}

variable "orders_password" {
  description = "Password the platform uses to connect to the orders database."
  type        = string
  sensitive   = true
  default     = "change-me-in-real-life"
}

data "platform_environment" "this" {
  name = var.environment_name
}

resource "platform_database" "orders" {
  environment_id = data.platform_environment.this.id
  name           = "orders-pg"
  type           = "postgres"
  host           = "pg.internal.example"
  port           = 5432
  database_name  = "orders"
  use_ssl        = true

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
}

resource "platform_database" "sessions" {
  environment_id = data.platform_environment.this.id
  name           = "sessions-mysql"
  type           = "mysql"
  host           = "mysql.internal.example"
  port           = 3306

  backup_storage_type  = "spaces"
  backup_spaces_bucket = "acme-backups"
}

output "orders" {
  description = "The orders database as the platform sees it."
  value = {
    id              = platform_database.orders.id
    database_type   = platform_database.orders.database_type_id
    has_credentials = platform_database.orders.has_credentials
    backup          = "${platform_database.orders.backup_format}/${platform_database.orders.backup_compression}"
  }
}

output "sessions_backup_prefix" {
  description = "Where backups of the sessions database go (the platform's default prefix)."
  value       = "s3://${platform_database.sessions.backup_spaces_bucket}/${platform_database.sessions.backup_spaces_prefix}"
}
