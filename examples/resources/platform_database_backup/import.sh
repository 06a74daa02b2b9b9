# Import a backup by its id, or by <database_id>/<backup_id>.
terraform import platform_database_backup.before_v42 cmwxsek9i002x1h7dle0wgldm/cmwxsf3pd003a1h7dq8v0c2b1
