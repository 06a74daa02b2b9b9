# Terraform >= 1.5 / OpenTofu >= 1.6: import with a block, by database id.
import {
  to = platform_database_backup_schedule.orders
  id = "cmwxsek9i002x1h7dle0wgldm"
}
