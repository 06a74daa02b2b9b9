# A database has one retention policy: import it with the database id.
terraform import platform_database_backup_policy.orders cmwxsek9i002x1h7dle0wgldm
