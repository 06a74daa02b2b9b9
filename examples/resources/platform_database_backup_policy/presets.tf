# lean: the 12 newest, one a day for 7 days, one a week for 4 weeks.
resource "platform_database_backup_policy" "cache" {
  database_id = var.cache_database_id
  preset      = "lean"
}

# balanced (the platform's global default): the 24 newest, 7 daily,
# 4 weekly and 6 monthly backups, with a 50 GiB cap.
resource "platform_database_backup_policy" "billing" {
  database_id     = var.billing_database_id
  preset          = "balanced"
  max_total_bytes = 53687091200
}

# custom: every tier from the configuration, all six required.
resource "platform_database_backup_policy" "ledger" {
  database_id = var.ledger_database_id
  preset      = "custom"
  keep_last   = 48
  daily       = 14
  weekly      = 8
  monthly     = 24
  yearly      = 7
  min_floor   = 5
}

variable "cache_database_id" {
  type = string
}

variable "billing_database_id" {
  type = string
}

variable "ledger_database_id" {
  type = string
}
