# A database registered on the platform with the company's backup tiers:
# the tier picks the retention preset and how often backups run, and the
# critical tier keeps its backups off the platform host.

locals {
  tiers = {
    dev      = { preset = "lean", cron = "0 3 * * *" }
    standard = { preset = "balanced", cron = "0 */6 * * *" }
    critical = { preset = "long_term", cron = "0 * * * *" }
  }
  tier    = local.tiers[var.tier]
  offsite = var.backup_bucket != null

  connection = provider::platform::parse_database_url(var.database_url)
}

data "platform_environment" "this" {
  name = var.environment
}

resource "platform_database" "this" {
  environment_id = data.platform_environment.this.id
  name           = var.name

  # Only the password in the URL is secret; without nonsensitive() every
  # plan and output would hide where the database is.
  type          = nonsensitive(local.connection.type)
  host          = nonsensitive(local.connection.host)
  port          = nonsensitive(local.connection.port)
  database_name = nonsensitive(local.connection.database_name)
  use_ssl       = nonsensitive(local.connection.use_ssl)
  username      = local.connection.username
  password      = local.connection.password

  backup_storage_type  = local.offsite ? "spaces" : "local"
  backup_spaces_bucket = var.backup_bucket
  backup_local_path    = local.offsite ? null : "/var/backups/${var.name}"
  backup_compression   = "gzip"

  force_destroy = var.force_destroy

  lifecycle {
    precondition {
      condition     = var.tier != "critical" || local.offsite
      error_message = "A critical database keeps its backups off the platform host: set backup_bucket."
    }
  }
}

resource "platform_database_backup_schedule" "this" {
  database_id     = platform_database.this.id
  cron_expression = local.tier.cron
}

resource "platform_database_backup_policy" "this" {
  database_id = platform_database.this.id
  preset      = local.tier.preset
  max_prune   = var.max_prune
}

# A warning, not an error: a failed backup must not block the changes that
# may be what fixes it.
check "latest_backup" {
  # The database's last_backup, from the environment's database list that
  # the refresh reads anyway (no request of its own once the database is
  # there), rather than platform_database_backups (one list per database).
  # It is also what a test can mock: a single nested object, where a mocked
  # list of objects fails inside Terraform (hashicorp/terraform#38369).
  data "platform_database" "this" {
    environment_id = platform_database.this.environment_id
    name           = platform_database.this.name

    # Read after the database is created or changed, not before: a first
    # plan would look for a database that is not there yet.
    depends_on = [platform_database.this]
  }

  assert {
    # try(): no backup yet (last_backup null) is fine.
    condition = try(data.platform_database.this.last_backup.status, "none") != "failed"
    # Evaluated even when the condition holds, and last_backup is null
    # for a database without backups: try() catches that too.
    error_message = "The newest backup of ${var.name} (started ${try(data.platform_database.this.last_backup.created_at, "?")}) failed; the platform_database_backups data source shows the step and the error."
  }
}
