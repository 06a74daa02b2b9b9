# Integration tests: the module applied with the real provider against the
# platform simulator (platform-simulator; scripts/module-test.sh starts it
# with tests/estate.json and exports PLATFORM_ENDPOINT and PLATFORM_TOKEN).
# They assert what only the provider and the platform know: the defaults
# the platform fills in, the effective retention tiers, a backup that
# really completes. Run with -filter=tests/integration.tftest.hcl.
#
# Each run is shown to fail when the behaviour it names is broken: see
# tests/mutations/ (one patch per run) and scripts/module-mutations.sh.

provider "platform" {}

variables {
  environment  = "staging"
  name         = "orders"
  database_url = "postgres://backup:s3cret@pg.internal.example/orders"
}

run "standard_database" {
  assert {
    condition     = output.database_type_id != null && output.database_type_id != ""
    error_message = "the platform did not resolve a database type for postgres"
  }
  # Defaults the platform fills: the module sets neither.
  assert {
    condition     = platform_database.this.backup_format == "plain" && platform_database.this.monitoring_interval_seconds == 300 && platform_database.this.monitoring_enabled
    error_message = "the platform's defaults (plain dumps, monitored every 300 s) are not in state"
  }
  # The provider fills the balanced preset's tiers.
  assert {
    condition     = output.retention == { preset = "balanced", keep_last = 24, daily = 7, weekly = 4, monthly = 6, yearly = 0, min_floor = 2 }
    error_message = "retention is not the balanced preset's tiers"
  }
  assert {
    condition     = platform_database_backup_policy.this.source == "override"
    error_message = "the policy is not the database's own"
  }
  assert {
    condition     = output.schedule.next_run_at != null && output.environment_id == data.platform_environment.this.id
    error_message = "the platform did not plan a next run, or the database is in another environment"
  }
}

run "url_the_provider_cannot_parse_is_refused_at_plan" {
  command = plan

  variables {
    database_url = "mysql://db.internal.example:0/orders"
  }

  expect_failures = [var.database_url]
}

run "critical_moves_backups_off_host" {
  variables {
    tier          = "critical"
    backup_bucket = "acme-backups"
  }

  # The platform's default prefix, <environment>/<name>/, which the module
  # does not set.
  assert {
    condition     = output.backup_location == "s3://acme-backups/staging/orders/"
    error_message = "backup_location: ${output.backup_location}"
  }
  assert {
    condition     = output.retention.preset == "long_term" && output.retention.yearly == 3 && output.retention.monthly == 12
    error_message = "retention is not the long_term preset's tiers"
  }
}

# Last, so that teardown, which destroys states in the reverse order of
# their last run, deletes the backup before the database: the platform
# deletes no database that has backups (and force_destroy stays false here,
# as in a team's configuration).
run "backup_completes" {
  module {
    source = "./tests/backup"
  }

  # The latest run of the module: OpenTofu 1.12 keeps only that one's
  # outputs for a state several runs applied.
  variables {
    database_id = run.critical_moves_backups_off_host.id
  }

  assert {
    condition     = output.backup.status == "completed" && output.backup.kind == "manual" && output.backup.size > 0
    error_message = "the backup did not complete: ${output.backup.status}"
  }
  # Under the platform's default prefix in the bucket, since the previous
  # run made the database critical.
  assert {
    condition     = output.backup.storage_type == "spaces" && startswith(output.backup.storage_path, "staging/orders/")
    error_message = "the backup is not under the bucket's prefix: ${output.backup.storage_type} ${output.backup.storage_path}"
  }
}
