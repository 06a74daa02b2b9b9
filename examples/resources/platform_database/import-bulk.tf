# Adopt every database of an environment at once: list them with the
# platform_databases data source and import each one, keyed by name.
# Needs Terraform >= 1.7 or OpenTofu >= 1.7 (for_each in import blocks).
#
# The platform never returns credentials. Databases whose has_credentials is
# true keep their stored credentials untouched until you add username and
# password (or password_wo) for them, for example from a map keyed by name.

variable "environment_name" {
  type        = string
  description = "Name of the environment whose databases to adopt."
}

data "platform_environment" "adopted" {
  name = var.environment_name
}

data "platform_databases" "adopted" {
  environment_id = data.platform_environment.adopted.id
}

locals {
  adopted_databases = { for db in data.platform_databases.adopted.databases : db.name => db }
}

import {
  for_each = local.adopted_databases
  to       = platform_database.adopted[each.key]
  id       = each.value.id
}

resource "platform_database" "adopted" {
  for_each = local.adopted_databases

  environment_id           = each.value.environment_id
  name                     = each.value.name
  type                     = each.value.type
  database_type_id         = each.value.database_type_id
  host                     = each.value.host
  port                     = each.value.port
  database_name            = each.value.database_name
  file_path                = each.value.file_path
  use_ssl                  = each.value.use_ssl
  server_id                = each.value.server_id
  backup_storage_type      = each.value.backup_storage_type
  backup_local_path        = each.value.backup_local_path
  backup_spaces_bucket     = each.value.backup_spaces_bucket
  backup_spaces_prefix     = each.value.backup_spaces_prefix
  backup_format            = each.value.backup_format
  backup_compression       = each.value.backup_compression
  backup_compression_level = each.value.backup_compression_level
  pg_dump_timeout_ms       = each.value.pg_dump_timeout_ms

  dynamic "pg_dump_options" {
    for_each = each.value.pg_dump_options[*]
    content {
      no_owner    = pg_dump_options.value.no_owner
      clean       = pg_dump_options.value.clean
      if_exists   = pg_dump_options.value.if_exists
      schema_only = pg_dump_options.value.schema_only
      data_only   = pg_dump_options.value.data_only
    }
  }
}
