# Unit tests: the module's own logic, with a mocked provider (Terraform >=
# 1.7, OpenTofu >= 1.8). Nothing reaches a platform; values the platform
# would compute are set by the overrides below wherever an assertion reads
# them, because a mock fills computed values with random ones.
#
# Runs that expect success apply (against the mock) rather than plan: in a
# plan the check block's data source waits for the database to be created,
# and `terraform test` fails a plan whose check is still unknown.
#
# Each run is shown to fail when the behaviour it names is broken:
# tests/mutations/ holds one patch per run that breaks it, and the
# provider's CI (scripts/module-mutations.sh) applies each to a copy of the
# module and checks that the run then fails.
#
# parse_database_url is the real provider function even here: a mocked
# provider still runs its functions.

mock_provider "platform" {
  mock_data "platform_environment" {
    defaults = {
      id = "cmockenvironment000000001"
    }
  }
}

# What the platform and the provider would answer, for the runs that read
# computed values. File level, because the runs share one state: a resource
# created by an earlier run keeps its values, and an override in a later
# run would not reach it.
override_resource {
  target = platform_database.this
  values = {
    id                   = "cmockdatabase0000000000001"
    database_type_id     = "cmocktypepostgres00000001"
    backup_spaces_prefix = "staging/orders/"
  }
}
override_resource {
  target = platform_database_backup_policy.this
  values = {
    keep_last = 24
    daily     = 7
    weekly    = 4
    monthly   = 12
    yearly    = 3
    min_floor = 2
  }
}
override_resource {
  target = platform_database_backup_schedule.this
  values = {
    next_run_at = "2030-01-01T01:00:00Z"
  }
}

variables {
  environment  = "staging"
  name         = "orders"
  database_url = "postgres://backup:s3cret@pg.internal.example/orders?sslmode=require"
}

run "standard_tier_is_balanced_every_six_hours" {
  assert {
    condition     = platform_database_backup_policy.this.preset == "balanced"
    error_message = "standard must map to the balanced preset"
  }
  assert {
    condition     = platform_database_backup_schedule.this.cron_expression == "0 */6 * * *"
    error_message = "standard must back up every 6 hours"
  }
  assert {
    condition     = platform_database.this.backup_storage_type == "local" && platform_database.this.backup_local_path == "/var/backups/orders"
    error_message = "without a bucket backups stay on the host, under /var/backups/<name>"
  }
  # From the URL, through the provider's parser: its default port and sslmode.
  assert {
    condition     = platform_database.this.type == "postgres" && platform_database.this.port == 5432 && platform_database.this.use_ssl
    error_message = "the URL was not turned into type, port and use_ssl"
  }
  assert {
    condition     = platform_database.this.environment_id == "cmockenvironment000000001"
    error_message = "the environment is not the one looked up by name"
  }
}

run "dev_tier_is_lean_nightly" {
  variables {
    tier = "dev"
  }

  assert {
    condition     = platform_database_backup_policy.this.preset == "lean" && platform_database_backup_schedule.this.cron_expression == "0 3 * * *"
    error_message = "dev must map to lean retention and a nightly backup"
  }
}

run "critical_tier_is_long_term_hourly_off_host" {
  variables {
    tier          = "critical"
    backup_bucket = "acme-backups"
  }

  assert {
    condition     = platform_database_backup_policy.this.preset == "long_term" && platform_database_backup_schedule.this.cron_expression == "0 * * * *"
    error_message = "critical must map to long_term retention and hourly backups"
  }
  assert {
    condition     = platform_database.this.backup_storage_type == "spaces" && platform_database.this.backup_spaces_bucket == "acme-backups" && platform_database.this.backup_local_path == null
    error_message = "with a bucket backups go to object storage, and no local path is set"
  }
}

run "critical_tier_without_bucket_is_refused" {
  command = plan

  variables {
    tier = "critical"
  }

  expect_failures = [platform_database.this]
}

run "unknown_tier_is_refused" {
  command = plan

  variables {
    tier = "gold"
  }

  expect_failures = [var.tier]
}

run "bad_name_is_refused" {
  command = plan

  variables {
    name = "Orders_DB"
  }

  expect_failures = [var.name]
}

run "url_with_bad_port_is_refused" {
  command = plan

  variables {
    database_url = "postgres://pg.internal.example:99999/orders"
  }

  expect_failures = [var.database_url]
}

run "unsupported_engine_is_refused" {
  command = plan

  variables {
    database_url = "redis://cache.internal.example:6379"
  }

  expect_failures = [var.database_url]
}

run "outputs_from_what_the_platform_returns" {
  variables {
    tier          = "critical"
    backup_bucket = "acme-backups"
  }

  assert {
    condition     = output.backup_location == "s3://acme-backups/staging/orders/"
    error_message = "backup_location is not built from the bucket and the platform's prefix: ${output.backup_location}"
  }
  assert {
    condition     = output.retention == { preset = "long_term", keep_last = 24, daily = 7, weekly = 4, monthly = 12, yearly = 3, min_floor = 2 }
    error_message = "retention does not report the policy"
  }
  assert {
    condition     = output.endpoint == "pg.internal.example:5432" && output.database_type_id == "cmocktypepostgres00000001" && output.id == "cmockdatabase0000000000001"
    error_message = "endpoint, type or id outputs are wrong"
  }
  assert {
    condition     = output.schedule == { cron = "0 * * * *", next_run_at = "2030-01-01T01:00:00Z" }
    error_message = "schedule output is wrong"
  }
}

run "failed_latest_backup_warns" {
  # The check reads last_backup, a single nested object, which a mock can
  # carry. Not the backups list of platform_database_backups: Terraform
  # fails any mocked list of objects ("incompatible types; expected object
  # type, found tuple", hashicorp/terraform#38369), and inside a check block
  # that error counts as the check failing, so expect_failures would pass
  # whatever the condition says. Every attribute of the object is given:
  # OpenTofu refuses a nested object with some left out, with the same
  # effect.
  override_data {
    target = data.platform_database.this
    values = {
      last_backup = {
        id           = "cmockbackup00000000000001"
        status       = "failed"
        kind         = "scheduled"
        type         = "scheduled"
        created_at   = "2030-01-01T01:00:00Z"
        completed_at = null
      }
    }
  }

  expect_failures = [check.latest_backup]
}
