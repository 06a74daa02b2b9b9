# The pinned backups of one database (Terraform >= 1.14), for example to
# bring the ones kept by hand under Terraform:
#
#   terraform query -var database_id=<id> -generate-config-out=backups.tf

variable "database_id" {
  type        = string
  description = "Id of the database whose backups to find."
}

list "platform_database_backup" "pinned" {
  provider = platform

  config {
    database_id = var.database_id
    pinned      = true
    # status = "completed"
    # kind   = "manual"
  }
}
