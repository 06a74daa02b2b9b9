# The backup schedules of the environments in data.platform_environment.estate
# (see the platform_database list resource's estate.tf); Terraform >= 1.14.
# Finding them costs one list request per 500 databases; generating their
# configuration reads each schedule once more (retention_days is only in
# the schedule itself).

list "platform_database_backup_schedule" "estate" {
  for_each = data.platform_environment.estate
  provider = platform
  limit    = 1000

  config {
    environment_id = each.value.id
    # enabled = true
  }
}
