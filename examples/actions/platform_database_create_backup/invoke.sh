# Take the backup now, without changing anything else:
terraform apply -invoke=action.platform_database_create_backup.pre_migration
