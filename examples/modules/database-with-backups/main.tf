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
  data "platform_database_backups" "this" {
    database_id = platform_database.this.id
  }

  assert {
    # try(): no backup yet is fine (HCL's || evaluates both sides).
    condition = try(data.platform_database_backups.this.backups[0].status, "none") != "failed"
    # Evaluated even when the condition holds, and error_message is null
    # for a backup that did not fail: coalesce() errors on it, try() catches.
    error_message = "The newest backup of ${var.name} failed: ${try(coalesce(data.platform_database_backups.this.backups[0].error_message), "no reason reported")}"
  }
}
