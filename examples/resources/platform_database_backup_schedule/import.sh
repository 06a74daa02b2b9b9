# A database has at most one schedule: import it with the database id.
terraform import platform_database_backup_schedule.orders cmwxsek9i002x1h7dle0wgldm
