# The policy in effect for any database, its own or the global default.
data "platform_database_backup_policy" "reports" {
  database_id = "cmwxsek9i002x1h7dle0wgldm"
}

output "reports_keeps_monthly_backups" {
  value = data.platform_database_backup_policy.reports.monthly > 0
}

output "reports_policy_source" {
  value = data.platform_database_backup_policy.reports.source # "override" or "inherited"
}
