output "id" {
  description = "Id of the database on the platform."
  value       = platform_database.this.id
}

output "environment_id" {
  description = "Id of the environment the database is registered in."
  value       = platform_database.this.environment_id
}

output "database_type_id" {
  description = "The platform's database type, resolved by the platform from the URL's scheme."
  value       = platform_database.this.database_type_id
}

output "endpoint" {
  description = "host:port the platform connects to."
  value       = "${platform_database.this.host}:${platform_database.this.port}"
}

output "retention" {
  description = "The retention the tier gives: the preset and the tiers it fixes."
  value = {
    preset    = platform_database_backup_policy.this.preset
    keep_last = platform_database_backup_policy.this.keep_last
    daily     = platform_database_backup_policy.this.daily
    weekly    = platform_database_backup_policy.this.weekly
    monthly   = platform_database_backup_policy.this.monthly
    yearly    = platform_database_backup_policy.this.yearly
    min_floor = platform_database_backup_policy.this.min_floor
  }
}

output "schedule" {
  description = "When backups run, and the platform's estimate of the next run."
  value = {
    cron        = platform_database_backup_schedule.this.cron_expression
    next_run_at = platform_database_backup_schedule.this.next_run_at
  }
}

output "backup_location" {
  description = "Where the backups go: s3://bucket/prefix (the platform's default prefix is <environment>/<name>/) or a directory on the platform host."
  value = (local.offsite
    ? "s3://${platform_database.this.backup_spaces_bucket}/${platform_database.this.backup_spaces_prefix}"
    : "file://${platform_database.this.backup_local_path}/"
  )
}
