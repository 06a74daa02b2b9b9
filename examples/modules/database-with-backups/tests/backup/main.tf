# Test helper: takes a backup of the database the module registered, as a
# team's pre-migration step would, so a test can assert on a real one.
terraform {
  required_providers {
    platform = {
      source = "platform-iac/platform"
    }
  }
}

variable "database_id" {
  type = string
}

resource "platform_database_backup" "this" {
  database_id = var.database_id

  timeouts {
    create = "1m"
  }
}

output "backup" {
  value = platform_database_backup.this
}
