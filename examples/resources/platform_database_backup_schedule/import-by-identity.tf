# Terraform >= 1.12 / OpenTofu >= 1.12: import by resource identity, the
# database id.
import {
  to = platform_database_backup_schedule.reports
  identity = {
    database_id = "cmwxsek9i002x1h7dle0wgldm"
  }
}
