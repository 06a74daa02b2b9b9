variable "environment" {
  description = "Name of the platform environment the database is registered in."
  type        = string
}

variable "name" {
  description = "Name of the database on the platform: lower case letters, digits and hyphens, 3 to 40 characters."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,38}[a-z0-9]$", var.name))
    error_message = "name must be 3 to 40 lower case letters, digits and hyphens, starting with a letter and not ending with a hyphen."
  }
}

variable "database_url" {
  description = "The application's connection URL, e.g. postgres://backup:secret@pg.internal.example:5432/orders?sslmode=require."
  type        = string
  # The URL carries the password.
  sensitive = true

  # The provider's own parser decides, so the module accepts exactly the
  # URLs the provider does, and refuses a bad one at plan time.
  validation {
    condition     = can(provider::platform::parse_database_url(var.database_url))
    error_message = "database_url is not a connection URL the platform provider can parse (see its parse_database_url function)."
  }

  validation {
    condition     = contains(["postgres", "mysql"], try(provider::platform::parse_database_url(var.database_url).type, ""))
    error_message = "This module backs up PostgreSQL and MySQL databases only (a postgres:// or mysql:// URL)."
  }
}

variable "tier" {
  description = "How much backup history the team needs: dev (lean retention, a nightly backup), standard (balanced, every 6 hours) or critical (long_term, hourly, off the host)."
  type        = string
  default     = "standard"

  validation {
    condition     = contains(["dev", "standard", "critical"], var.tier)
    error_message = "tier must be one of dev, standard, critical."
  }
}

variable "backup_bucket" {
  description = "Object-storage bucket for the backups; null keeps them on the platform host. Required for the critical tier."
  type        = string
  default     = null

  validation {
    condition     = var.backup_bucket == null || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.backup_bucket))
    error_message = "backup_bucket must be a bucket name: 3 to 63 lower case letters, digits, dots and hyphens."
  }
}

variable "max_prune" {
  description = "How many existing backups one apply may delete when the tier's retention keeps fewer (see platform_database_backup_policy)."
  type        = number
  default     = 0

  validation {
    condition     = var.max_prune >= 0 && floor(var.max_prune) == var.max_prune
    error_message = "max_prune must be a whole number, 0 or more."
  }
}

variable "force_destroy" {
  description = "Delete the database's backups when the database is destroyed. Backups deleted this way are gone for good."
  type        = bool
  default     = false
}
